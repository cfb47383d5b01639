import { and } from './plan.js';
import type { FilterNode, OrderTerm, Scalar } from '../spec/plan.js';

const FALSE: FilterNode = { kind: 'or', children: [] };

const same = (field: string, value: Scalar): FilterNode =>
  value === null ? { kind: 'cmp', field, op: 'is_null', value: true } : { kind: 'cmp', field, op: 'eq', value };

/** Rows strictly after `value` in this term's order (asc: nulls last, desc: nulls first). */
function after(term: OrderTerm, value: Scalar): FilterNode {
  const { field } = term;
  if (term.direction === 'asc') {
    if (value === null) return FALSE;
    return { kind: 'or', children: [{ kind: 'cmp', field, op: 'gt', value }, { kind: 'cmp', field, op: 'is_null', value: true }] };
  }
  if (value === null) return { kind: 'cmp', field, op: 'is_null', value: false };
  return { kind: 'cmp', field, op: 'lt', value };
}

/**
 * The keyset condition "after this row" as a plain filter tree:
 * (k1 after v1) OR (k1 = v1 AND k2 after v2) OR ... It needs no dialect support beyond comparisons.
 */
export function keysetFilter(orderBy: OrderTerm[], values: Scalar[]): FilterNode {
  const branches = orderBy.map((term, i) =>
    and(...orderBy.slice(0, i).map((prev, j) => same(prev.field, values[j]!)), after(term, values[i]!)),
  );
  return { kind: 'or', children: branches };
}
