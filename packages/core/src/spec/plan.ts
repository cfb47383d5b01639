import type { RelationInfo } from '../schema-info.js';

/**
 * The validated, dialect-free query plan an adapter compiles. Everything in it was checked against the
 * policy (or added by OrmAI itself: tenant predicate, keyset bounds), so adapters never see model input.
 */
export type Scalar = string | number | boolean | null;

export type ComparisonOp =
  | 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'not_in' | 'is_null' | 'contains' | 'starts_with' | 'ends_with' | 'between';

export type AggregateOp = 'count' | 'sum' | 'avg' | 'min' | 'max';

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
  op: AggregateOp;
  field: string | null;
  filter: FilterNode;
  groupBy: string[];
  limit: number;
}
