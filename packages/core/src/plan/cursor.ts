import { constantTimeEqual, hmacSha256, utf8ToBytes } from '../crypto.js';
import { errors } from '../errors.js';
import type { OrderTerm, Scalar } from './plan.js';

/**
 * Opaque keyset cursors: the sort-key values of the last row, signed with a server key. The signature also
 * binds the tenant, model and sort order, so a cursor cannot be replayed across tenants or queries.
 */
function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export interface CursorScope {
  tenantId: string | null;
  model: string;
  orderBy: OrderTerm[];
}

const scopeText = (scope: CursorScope) =>
  JSON.stringify([scope.tenantId, scope.model, scope.orderBy.map((t) => `${t.field}:${t.direction}`)]);

const invalidCursor = () =>
  errors.invalidInput('The cursor is invalid or belongs to a different query.', 'Pass nextCursor exactly as returned, with the same model and orderBy, or omit cursor to start from the first page.');

export function encodeCursor(key: Uint8Array, scope: CursorScope, values: Scalar[]): string {
  const payload = utf8ToBytes(JSON.stringify(values));
  const mac = hmacSha256(key, `${scopeText(scope)}|${toBase64Url(payload)}`);
  return `${toBase64Url(payload)}.${toBase64Url(mac)}`;
}

export function decodeCursor(key: Uint8Array, scope: CursorScope, cursor: string): Scalar[] {
  const [payloadPart, macPart, extra] = cursor.split('.');
  if (!payloadPart || !macPart || extra !== undefined) throw invalidCursor();
  let mac: Uint8Array;
  let values: unknown;
  try {
    mac = fromBase64Url(macPart);
    const expected = hmacSha256(key, `${scopeText(scope)}|${payloadPart}`);
    if (!constantTimeEqual(mac, expected)) throw invalidCursor();
    values = JSON.parse(new TextDecoder().decode(fromBase64Url(payloadPart)));
  } catch {
    throw invalidCursor();
  }
  const valid =
    Array.isArray(values) &&
    values.length === scope.orderBy.length &&
    values.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
  if (!valid) throw invalidCursor();
  return values as Scalar[];
}
