import type { ComparisonOp } from '../tools/input-schemas.js';
import type { RelationInfo } from '../schema-info.js';

/**
 * The validated, dialect-free query plan an adapter compiles. Everything in it was checked against the
 * policy (or added by OrmAI itself: tenant predicate, keyset bounds), so adapters never see model input.
 */
export type Scalar = string | number | boolean | null;

export type FilterNode =
  | { kind: 'cmp'; field: string; op: ComparisonOp; value: Scalar | Scalar[] }
  | { kind: 'and'; children: FilterNode[] }
  | { kind: 'or'; children: FilterNode[] }
  | { kind: 'not'; child: FilterNode };

/** Ascending sorts put nulls last, descending nulls first (keyset pagination relies on it). */
export interface OrderTerm {
  field: string;
  direction: 'asc' | 'desc';
}

export interface SelectNode {
  model: string;
  /** Attributes to fetch; adapters may fetch join keys too, only projected fields reach the agent. */
  fields: string[];
  filter: FilterNode;
  orderBy: OrderTerm[];
  /** Rows to fetch: per parent row for includes. Always enforced in SQL. */
  limit: number;
  includes: IncludeNode[];
}

export interface IncludeNode extends SelectNode {
  relation: RelationInfo;
}

export interface AggregatePlan {
  model: string;
  op: 'count' | 'sum' | 'avg' | 'min' | 'max';
  field: string | null;
  filter: FilterNode;
  groupBy: string[];
  limit: number;
}

export const TRUE: FilterNode = { kind: 'and', children: [] };

export function and(...nodes: FilterNode[]): FilterNode {
  const children = nodes.flatMap((n) => (n.kind === 'and' ? n.children : [n]));
  return children.length === 1 ? children[0]! : { kind: 'and', children };
}
