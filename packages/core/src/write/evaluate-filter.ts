import type { BoundModel } from '../spec/bound-policy.js';
import type { FilterNode, Scalar } from '../spec/plan.js';
import type { Row } from '../spec/adapter.js';

/**
 * Evaluates a plan filter against one row in memory, with SQL's answers for nulls (a comparison with
 * null is never true). Used for approval predicates over a row's new values.
 */
function comparable(model: BoundModel, field: string, value: unknown): number | string | boolean | null {
  if (value === null || value === undefined) return null;
  const type = model.fields[field]?.type;
  if (type === 'date' || type === 'dateonly') return Date.parse(String(value));
  return value as number | string | boolean;
}

const like = (text: string, test: (haystack: string, needle: string) => boolean, needle: Scalar) =>
  test(text.toLowerCase(), String(needle).toLowerCase());

export function evaluateFilter(node: FilterNode, row: Row, model: BoundModel): boolean {
  switch (node.kind) {
    case 'and':
      return node.children.every((c) => evaluateFilter(c, row, model));
    case 'or':
      return node.children.some((c) => evaluateFilter(c, row, model));
    case 'not':
      return !evaluateFilter(node.child, row, model);
    case 'cmp': {
      const left = comparable(model, node.field, row[node.field]);
      if (node.op === 'is_null') return (left === null) === Boolean(node.value);
      if (left === null) return false;
      const values = (Array.isArray(node.value) ? node.value : [node.value]).map((v) => comparable(model, node.field, v));
      const right = values[0]!;
      switch (node.op) {
        case 'eq': return left === right;
        case 'ne': return left !== right;
        case 'gt': return right !== null && left > right;
        case 'gte': return right !== null && left >= right;
        case 'lt': return right !== null && left < right;
        case 'lte': return right !== null && left <= right;
        case 'in': return values.includes(left);
        case 'not_in': return !values.includes(left);
        case 'between': return values[0] !== null && values[1] !== null && left >= values[0]! && left <= values[1]!;
        case 'contains': return like(String(left), (h, n) => h.includes(n), node.value as Scalar);
        case 'starts_with': return like(String(left), (h, n) => h.startsWith(n), node.value as Scalar);
        case 'ends_with': return like(String(left), (h, n) => h.endsWith(n), node.value as Scalar);
      }
    }
  }
}
