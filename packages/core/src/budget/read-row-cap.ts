import type { BoundPolicy } from '../spec/bound-policy.js';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The most rows a read may return, from its (unvalidated) input: what the row quotas reserve before it
 * runs. db_get: 1; db_query: its limit, else the model's maxRows for db_query; db_aggregate: the
 * model's maxRows when grouped (one row per group), else 1. 0 for other actions and for inputs the
 * tool will refuse anyway (no such model).
 */
export function readRowCap(bound: BoundPolicy, action: string, input: unknown): number {
  if (action !== 'db_get' && action !== 'db_query' && action !== 'db_aggregate') return 0;
  const model = isRecord(input) && typeof input.model === 'string' ? bound.models[input.model] : undefined;
  if (!model || !isRecord(input)) return 0;
  if (action === 'db_get') return 1;
  const { maxRows } = bound.budgetsFor(model, action);
  if (action === 'db_aggregate') return Array.isArray(input.groupBy) && input.groupBy.length > 0 ? maxRows : 1;
  // A limit over maxRows is refused by the tool; it reserves no more than the tool could return.
  return Number.isSafeInteger(input.limit) && (input.limit as number) > 0 ? Math.min(input.limit as number, maxRows) : maxRows;
}
