import { AuditCommandError } from './errors.js';

/** An ISO 8601 date or instant (`2026-01-01`, `2026-01-01T09:30:00Z`) as epoch ms; undefined when absent. */
export function parseInstant(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) throw new AuditCommandError('invalid_option', `${option} takes an ISO 8601 date or instant (2026-01-01, 2026-01-01T09:30:00Z): got ${JSON.stringify(text)}`);
  return ms;
}

export function parsePositiveInteger(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new AuditCommandError('invalid_option', `${option} takes a positive integer: got ${JSON.stringify(text)}`);
  return n;
}
