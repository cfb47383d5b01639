import type { z } from 'zod';
import type { Row } from './adapter.js';
import type { ApprovalStatus } from './approval-status.js';
import type { ErrorPayload } from './errors.js';
import type { AggregateOp, ComparisonOp } from './plan.js';
import type { WriteOperation } from './policy.js';
import type * as In from './tool-inputs.js';

/** Every call's answer: the tool's data, or a structured refusal. `call` never throws for policy, input or database problems. */
export type ToolResult<T = unknown> = { ok: true; data: T } | { ok: false; error: ErrorPayload };

/** A tool as the policy exposes it (see `ormai.tools()`): a generic tool (a `ToolName`) or a domain tool (`defineTool`). */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: z.ZodType;
  /** 'write' tools change data (previews and approval status are reads). */
  access: 'read' | 'write';
}

export interface DescribedField {
  name: string;
  type: string;
  /**
   * Present when values come back masked (`sanitize`: free text with personal data and secrets scrubbed);
   * masked fields cannot be filtered, sorted, grouped or aggregated.
   */
  masked?: string;
  filterable: boolean;
  indexed?: true;
  /** The allowed values, for enum fields. */
  values?: string[];
}

export interface DescribedModel {
  name: string;
  primaryKey: string;
  fields: DescribedField[];
  relations: Array<{ name: string; target: string; many: boolean }>;
  budgets: { maxRows: number; maxScanRows: number; maxJoinDepth: number };
}

export interface DescribeSchemaResult {
  models: DescribedModel[];
  /** Operators usable on each field type. */
  operators: Record<string, ComparisonOp[]>;
  guidance: string[];
}

export interface QueryResult {
  rows: Row[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

export interface GetResult {
  row: Row;
}

export type AggregateValue = number | string | null;

/** One value, or one per group (at most maxRows groups; `truncated` when there were more). */
export type AggregateResult =
  | { op: AggregateOp; field: string | null; value: AggregateValue }
  | { op: AggregateOp; field: string | null; groups: Array<{ key: Record<string, unknown>; value: AggregateValue }>; truncated: boolean };

/** db_create and db_update: the row as the agent may read it (readable fields, masked). */
export interface WriteRowResult {
  row: Row | null;
}

export interface DeleteResult {
  deleted: number;
  id: string | number;
  /** True when the row was marked deleted (soft delete), not removed. */
  soft: boolean;
}

export interface BulkUpdateResult {
  affectedRows: number;
  ids: Array<string | number>;
}

export interface PreviewResult {
  /** Pass to db_bulk_update with exactly the same arguments. */
  previewId: string;
  operation: WriteOperation;
  model: string;
  affectedRows: number;
  /** At most five rows, before and after, as the agent may read them. */
  sample: Array<{ before: Row | null; after: Row | null }>;
  /** Approval rules the write would trigger. */
  requiresApproval: string[];
  expiresAt: string;
}

export interface ApprovalStatusResult {
  approvalId: string;
  status: ApprovalStatus;
  rules: Array<{ rule: string; approved: boolean }>;
  model: string;
  operation: WriteOperation;
  requestedAt: string;
  expiresAt: string;
  decidedAt?: string;
  /** The write's result, once executed. */
  result?: unknown;
  error?: ErrorPayload;
}

/**
 * Every tool by name, with what it accepts and what its result's `data` is. Which of them a given
 * OrmAI offers depends on its policy (write tools only where a model enables the operation): calling
 * one it does not offer answers `unknown_tool`.
 */
export interface ToolMap {
  db_describe_schema: { input: In.DescribeSchemaInput; output: DescribeSchemaResult };
  db_query: { input: In.QueryInput; output: QueryResult };
  db_get: { input: In.GetInput; output: GetResult };
  db_aggregate: { input: In.AggregateInput; output: AggregateResult };
  db_create: { input: In.CreateInput; output: WriteRowResult };
  db_update: { input: In.UpdateInput; output: WriteRowResult };
  db_delete: { input: In.DeleteInput; output: DeleteResult };
  db_bulk_update: { input: In.BulkUpdateInput; output: BulkUpdateResult };
  db_preview_write: { input: In.PreviewWriteInput; output: PreviewResult };
  db_approval_status: { input: In.ApprovalStatusInput; output: ApprovalStatusResult };
}

export type ToolName = keyof ToolMap;
export type ToolInput<N extends ToolName> = ToolMap[N]['input'];
export type ToolOutput<N extends ToolName> = ToolMap[N]['output'];
