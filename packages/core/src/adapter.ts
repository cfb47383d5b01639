import type { AggregatePlan, SelectNode } from './plan/plan.js';
import type { SchemaInfo } from './schema-info.js';

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
  /** The run context's tenant, for adapters that also enforce it in the database (row-level security). */
  tenantId: string | null;
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
}

const marker = Symbol.for('ormai.execution-limit');

export class ExecutionLimitError extends Error {
  private readonly [marker] = true;
  constructor(
    readonly kind: 'scan_budget_exceeded' | 'statement_timeout',
    readonly model: string,
    /** The budget that was hit: maxScanRows or statementTimeoutMs. */
    readonly limit: number,
    readonly estimatedRows = 0,
  ) {
    super(`${kind} on ${model}`);
    this.name = 'ExecutionLimitError';
  }

  static isInstance(value: unknown): value is ExecutionLimitError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }
}
