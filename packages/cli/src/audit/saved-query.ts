import { AUDIT_VIEWS, auditViewName, type AuditViewName } from '@ormai/sequelize';
import { selectRows, type AuditSource } from './audit-source.js';
import { AuditCommandError } from './errors.js';
import { sqliteViewBodies } from './sqlite-views.js';

export interface SavedQueryFilters {
  /** Epoch ms, inclusive. */
  since?: number | undefined;
  /** Epoch ms, exclusive. */
  until?: number | undefined;
  tenantId?: string | undefined;
  limit?: number | undefined;
}

export type SavedQueryRow = Record<string, unknown>;

export const DEFAULT_LIMIT = 100;

/** The aggregated view has no `at` nor `tenant_id` column: a period or tenant filter cannot apply to it. */
const AGGREGATED: ReadonlySet<AuditViewName> = new Set(['common_denials_90d']);

/** Each view's own order (a view's ORDER BY does not survive an outer WHERE), with `id` to break ties. */
const ORDER: Record<AuditViewName, string> = {
  accesses: 'at DESC, id',
  denials: 'at DESC, id',
  cross_tenant: 'at DESC, id',
  budget_breaches: 'at DESC, id',
  writes: 'at DESC, id',
  longest_calls: 'duration_ms DESC, id',
  common_denials_90d: 'denials DESC, code',
};

// PostgreSQL returns BIGINT (and count) as strings, SQLite JSON as text and booleans as 0/1: one shape for both.
const NUMBERS = new Set(['at', 'first_at', 'last_at', 'denials', 'users', 'tenants', 'rows_returned', 'rows_affected', 'duration_ms']);
const JSON_ARRAYS = new Set(['roles', 'approvers']);

function normalized(row: SavedQueryRow): SavedQueryRow {
  const out: SavedQueryRow = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === null || value === undefined) out[key] = null;
    else if (NUMBERS.has(key)) out[key] = Number(value);
    else if (JSON_ARRAYS.has(key) && typeof value === 'string') out[key] = JSON.parse(value) as unknown;
    else if (key === 'erased') out[key] = Boolean(value);
    else if (value instanceof Date) out[key] = value.toISOString();
    else if (key === 'at_time' && typeof value === 'string') out[key] = new Date(value).toISOString();
    else out[key] = value;
  }
  return out;
}

export function isSavedQuery(name: string): name is AuditViewName {
  return (AUDIT_VIEWS as readonly string[]).includes(name);
}

/**
 * Runs one saved query (see docs/audit-queries.md) for the source's chain: the view on PostgreSQL, the
 * same query rewritten for SQLite there. Rows in the view's order, at most `limit`.
 */
export async function runSavedQuery(source: AuditSource, name: string, filters: SavedQueryFilters = {}): Promise<SavedQueryRow[]> {
  if (!isSavedQuery(name)) throw new AuditCommandError('unknown_query', `no saved query '${name}': one of ${AUDIT_VIEWS.join(', ')}`);
  const limit = filters.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new AuditCommandError('invalid_option', `--limit must be a positive integer: got ${limit}`);
  const scoped = filters.since !== undefined || filters.until !== undefined || filters.tenantId !== undefined;
  if (AGGREGATED.has(name) && scoped) {
    throw new AuditCommandError('invalid_option', `${name} is grouped over the last 90 days: --since, --until and --tenant do not apply`);
  }
  const from = source.dialect === 'postgres' ? auditViewName(source, name) : `(${sqliteViewBodies(source.records)[name]}) AS v`;
  const bind: unknown[] = [source.chain];
  const where = ['chain = $1'];
  const add = (condition: (placeholder: string) => string, value: unknown) => {
    bind.push(value);
    where.push(condition(`$${bind.length}`));
  };
  if (filters.since !== undefined) add((p) => `at >= ${p}`, filters.since);
  if (filters.until !== undefined) add((p) => `at < ${p}`, filters.until);
  if (filters.tenantId !== undefined) add((p) => `tenant_id = ${p}`, filters.tenantId);
  bind.push(limit);
  const sql = `SELECT * FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${ORDER[name]} LIMIT $${bind.length}`;
  return (await selectRows(source, sql, bind)).map(normalized);
}
