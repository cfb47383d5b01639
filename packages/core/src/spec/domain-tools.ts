import type { z } from 'zod';
import type { RunContext } from './context.js';
import type * as In from './tool-inputs.js';
import type { AggregateResult, BulkUpdateResult, DeleteResult, GetResult, PreviewResult, QueryResult, WriteRowResult } from './tools.js';

/** Whether a tool only reads, or may change data (quotas count writes, `confirmWrites` asks before them). */
export type ToolAccess = 'read' | 'write';

/** `ctx.db.search`: a server-side search over one text field's raw value; rows come back as any read's (that field sanitized). */
export interface SearchInput extends In.QueryInput {
  /** A string field the agent may read in clear or sanitized. */
  field: string;
  /** A case-insensitive substring. Text that looks like personal data or a secret is refused: the search would confirm it. */
  contains: string;
}

/**
 * What a domain tool reads through: the generic tools' inputs and results, checked against the same
 * policy (tenant of the call, field rules, budgets, row quotas). A refusal rejects with an `OrmAIError`;
 * left uncaught, it is the tool's structured error.
 */
export interface ReadDataHandle {
  query(input: In.QueryInput): Promise<QueryResult>;
  get(input: In.GetInput): Promise<GetResult>;
  aggregate(input: In.AggregateInput): Promise<AggregateResult>;
  search(input: SearchInput): Promise<QueryResult>;
}

/**
 * A write tool's handle: writes as the generic write tools make them (writable fields, reason, rate
 * limits, previews, approval gates), each in its own transaction with its own audit record.
 */
export interface WriteDataHandle extends ReadDataHandle {
  create(input: In.CreateInput): Promise<WriteRowResult>;
  update(input: In.UpdateInput): Promise<WriteRowResult>;
  delete(input: In.DeleteInput): Promise<DeleteResult>;
  bulkUpdate(input: In.BulkUpdateInput): Promise<BulkUpdateResult>;
  preview(input: In.PreviewWriteInput): Promise<PreviewResult>;
}

/** What a domain tool's `run` receives besides its input: a scoped data handle (never the ORM) and the call's run context. */
export interface DomainToolContext<A extends ToolAccess = ToolAccess> {
  readonly db: A extends 'write' ? WriteDataHandle : ReadDataHandle;
  readonly context: Readonly<RunContext>;
}

/**
 * A task-shaped tool (`defineTool`), offered next to the generic ones and run through the same pipeline:
 * input validated by `input`, audited, budgeted, refusals structured. What `run` returns is the tool's result.
 */
export interface DomainTool<S extends z.ZodType = z.ZodType, A extends ToolAccess = ToolAccess, O = unknown> {
  /** Letters, digits and underscores, at most 64; `db_` is reserved for OrmAI's tools. */
  readonly name: string;
  readonly description: string;
  readonly input: S;
  readonly access: A;
  run(input: z.output<S>, ctx: DomainToolContext<A>): Promise<O> | O;
}

/** A field's own sanitizer, run before core's scrub (which always runs): `createOrmAI({ sanitizers: { Ticket: { notes } } })`. */
export type FieldSanitizer = (text: string) => string;

/** Sanitizers by model and field; each field's rule must be `sanitize`. */
export type FieldSanitizers = Record<string, Record<string, FieldSanitizer>>;
