import { errors } from '../errors.js';
import { signToken, verifyToken } from '../signed-token.js';
import type { OrderTerm, Scalar } from '../spec/plan.js';
import { errorWording } from '../error-wording.js';

/**
 * Opaque keyset cursors: the sort-key values of the last row, signed with a server key. The signature also
 * binds the tenant, model and sort order, so a cursor cannot be replayed across tenants or queries.
 */
export interface CursorScope {
  tenantId: string | null;
  model: string;
  orderBy: OrderTerm[];
}

const scopeText = (scope: CursorScope) =>
  `cursor|${JSON.stringify([scope.tenantId, scope.model, scope.orderBy.map((t) => `${t.field}:${t.direction}`)])}`;

export function encodeCursor(key: Uint8Array, scope: CursorScope, values: Scalar[]): string {
  return signToken(key, scopeText(scope), values);
}

export function decodeCursor(key: Uint8Array, scope: CursorScope, cursor: string): Scalar[] {
  const values = verifyToken(key, scopeText(scope), cursor);
  const valid =
    Array.isArray(values) &&
    values.length === scope.orderBy.length &&
    values.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
  if (!valid) {
    throw errors.invalidInput(errorWording.invalidInput.cursor());
  }
  return values as Scalar[];
}
