import type { AggregateOp, ComparisonOp, Scalar } from './plan.js';
import type { WriteOperation } from './policy.js';

/**
 * What each tool accepts: the filter grammar and the tools' arguments, as the agent (or `ormai.call`)
 * sends them. tools/input-schemas.ts and tools/write-input-schemas.ts validate exactly these shapes (a
 * compile-time check keeps them in step). Optional properties accept `undefined`, as the schemas do.
 */

/** One condition: `value` is a list for in/not_in/between, true/false (or absent) for is_null. */
export interface ConditionInput {
  field: string;
  op: ComparisonOp;
  value?: Scalar | Scalar[] | undefined;
}

export type FilterInput = ConditionInput | { and: FilterInput[] } | { or: FilterInput[] } | { not: FilterInput };

export interface IncludeInput {
  relation: string;
  select?: string[] | undefined;
  where?: FilterInput | undefined;
  limit?: number | undefined;
  include?: IncludeInput[] | undefined;
}

export interface DescribeSchemaInput {
  /** Describe one model only. */
  model?: string | undefined;
}

export interface QueryInput {
  model: string;
  /** Fields to return (default: all readable fields). */
  select?: string[] | undefined;
  where?: FilterInput | undefined;
  orderBy?: Array<{ field: string; direction?: 'asc' | 'desc' | undefined }> | undefined;
  limit?: number | undefined;
  /** nextCursor from the previous page. */
  cursor?: string | undefined;
  include?: IncludeInput[] | undefined;
}

export interface GetInput {
  model: string;
  id: string | number;
  select?: string[] | undefined;
  include?: IncludeInput[] | undefined;
}

export interface AggregateInput {
  model: string;
  op: AggregateOp;
  /** Required for sum/avg/min/max. */
  field?: string | undefined;
  where?: FilterInput | undefined;
  groupBy?: string[] | undefined;
}

/** New values by field name. */
export type WriteValues = Record<string, Scalar>;

/** `reason` is required by most policies; a missing one is refused with `reason_required`. */
export interface CreateInput {
  model: string;
  values: WriteValues;
  reason?: string | undefined;
}

export interface UpdateInput {
  model: string;
  id: string | number;
  values: WriteValues;
  reason?: string | undefined;
}

export interface DeleteInput {
  model: string;
  id: string | number;
  reason?: string | undefined;
}

export interface BulkUpdateInput {
  model: string;
  where: FilterInput;
  values: WriteValues;
  reason?: string | undefined;
  /** previewId from db_preview_write with the same arguments. */
  previewId?: string | undefined;
}

export interface PreviewWriteInput {
  operation: WriteOperation;
  model: string;
  id?: string | number | undefined;
  where?: FilterInput | undefined;
  values?: WriteValues | undefined;
}

export interface ApprovalStatusInput {
  approvalId: string;
}
