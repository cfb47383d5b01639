import type { AggregatePlan, FilterNode, SelectNode } from './plan.js';
import type { SchemaInfo } from '../schema-info.js';

export type Row = Record<string, unknown>;

/** What a dialect can enforce natively; documented per adapter, Kysely-style. */
export interface DialectCapabilities {
  /** How rows scanned are estimated before running: EXPLAIN with row estimates, a coarse query plan, or not at all. */
  scanEstimate: 'explain' | 'query-plan' | 'none';
  /** The database cancels statements past `statementTimeoutMs`. */
  statementTimeout: boolean;
  readOnlyTransactions: boolean;
  rowLevelSecurity: boolean;
}

export interface ExecutionOptions {
  maxScanRows: number;
  statementTimeoutMs: number;
  /**
   * The call's tenant, from the run context (null: a call without one). Plans already carry the tenant
   * predicate; an adapter may also hand it to the database as a backstop (PostgreSQL row-level security).
   */
  tenantId?: string | null;
}

export interface WriteRequest {
  operation: 'create' | 'update' | 'delete' | 'soft_delete' | 'bulk_update';
  model: string;
  /** The rows to change, scope predicate included. Ignored for create. */
  filter: FilterNode;
  /**
   * The caller's tenant predicate. Every statement the write runs on this model carries it: the change
   * itself and the reload, not only the target select (a key may be unique per tenant only).
   */
  scope: FilterNode;
  /** New values by attribute; for create it includes the tenant field, set from the run context. */
  values: Row;
  /** Load at most this many targets (+1, so the guard can tell when there are more). */
  maxRows: number;
  /** Do everything, then roll back: the effect is exactly what the write would do. */
  dryRun: boolean;
  /** Rows the new values refer to (scope predicate included): each must exist, checked in the transaction. */
  references: Array<{ field: string; model: string; filter: FilterNode }>;
}

/** Full rows (every attribute) before and after the change; core projects and redacts them. */
export interface WriteEffect {
  before: Row[];
  after: Row[];
}

export interface WriteHooks {
  /** Inside the transaction, once the target rows are loaded and locked, before anything changes. Throw to abort. */
  beforeChange(targets: Row[]): void | Promise<void>;
  /** Inside the transaction, after the change: whatever must commit or roll back with the write (audit, approval state). */
  afterChange?(effect: WriteEffect, transaction: unknown): void | Promise<void>;
}

export interface AggregateRow {
  keys: Row;
  value: number | string | null;
}

/**
 * The only surface an ORM adapter implements. It receives validated plans, never model input, and
 * reports limits it hit with `ExecutionLimitError` so core can phrase the agent-facing error.
 */
export interface OrmAIAdapter {
  readonly dialect: string;
  readonly capabilities: DialectCapabilities;
  introspect(): SchemaInfo;
  /** Rows keyed by attribute name; included rows nested under the relation name (array for hasMany, object or null otherwise). */
  select(plan: SelectNode, options: ExecutionOptions): Promise<Row[]>;
  aggregate(plan: AggregatePlan, options: ExecutionOptions): Promise<AggregateRow[]>;
  /** One write in one transaction. Adapters without write support omit it; write tools then refuse. */
  write?(request: WriteRequest, options: ExecutionOptions, hooks: WriteHooks): Promise<WriteEffect>;
  /** Resolves when the database answers a trivial statement on the connections reads use; for `ormai.health()`. */
  ping?(): Promise<void>;
  /**
   * Ends the connections the adapter opened itself. The application calls it on shutdown, after
   * `ormai.close()`: several OrmAI instances may share one adapter, so none of them closes it.
   */
  close?(): Promise<void>;
}

