/**
 * The serialized policy: plain JSON, the artifact an auditor reads. `definePolicy` always returns this
 * shape; policy/policy-schema.ts validates it (and is checked against these types at compile time).
 */
/**
 * How a readable field is shown when not in clear. `sanitize` is for free text: the value comes back with
 * emails, phone, card and account numbers, tokens and secrets scrubbed (core's `scrubText`, after the
 * field's own sanitizer when `createOrmAI({ sanitizers })` gives one).
 */
export type MaskStrategy = 'email' | 'last4' | 'full' | 'hash' | 'sanitize';
export type FieldRule = 'allow' | 'deny' | MaskStrategy;
export type ReadToolName = 'db_describe_schema' | 'db_query' | 'db_get' | 'db_aggregate';
/** OrmAI's own tools, as a policy can switch them on and off (`tools` on the policy and on each model). */
export type GenericToolName = ReadToolName | 'db_create' | 'db_update' | 'db_delete' | 'db_bulk_update' | 'db_preview_write' | 'db_approval_status';
export type WriteOperation = 'create' | 'update' | 'delete' | 'bulk_update';

export interface Budgets {
  maxRows: number;
  maxScanRows: number;
  statementTimeoutMs: number;
  maxJoinDepth: number;
}

/** Budgets a tool or model overrides; the rest come from the policy's. */
export type PartialBudgets = { [K in keyof Budgets]?: Budgets[K] | undefined };

/** `{ field }` names the attribute holding the tenant id; `false` marks tenant-free data. */
export type TenantScope = { field: string } | false;

export interface ApprovalRule {
  name: string;
  operations: WriteOperation[];
  /** Gate only when one of these fields gets a new value. */
  fieldsChanged?: string[] | undefined;
  /** Gate only when the row's new values match (same tree as db_query's where). */
  when?: unknown;
  approverRoles: string[];
  slaMs: number;
}

export interface WritePolicy {
  create?: boolean | undefined;
  update?: boolean | undefined;
  delete?: boolean | 'soft' | undefined;
  bulkUpdate?: boolean | undefined;
  /** Allow-list of fields the agent may set. The tenant field and primary key never are. */
  writableFields: string[];
  /** Masked fields (email/last4/full) the agent may set without ever reading them in clear; each is also in writableFields. */
  maskedWritableFields?: string[] | undefined;
  /** Writable fields under a unique constraint whose answer (value taken or free) the agent may learn; see the README. */
  acknowledgeUniqueOracle?: string[] | undefined;
  /** Set to now (date) or true (boolean) by a soft delete; rows where it is set are invisible to reads. */
  softDeleteField?: string | undefined;
  requireReason?: boolean | undefined;
  maxAffectedRows?: number | undefined;
  maxWritesPerMinute?: number | undefined;
  dryRunAbove?: number | undefined;
  approvals?: ApprovalRule[] | undefined;
}

export interface ModelPolicy {
  fields?: Record<string, FieldRule> | undefined;
  defaultField?: 'allow' | 'deny' | undefined;
  relations?: string[] | undefined;
  /** Overrides the policy's tenantScope for this model. */
  tenantScope?: TenantScope | undefined;
  budgets?: PartialBudgets | undefined;
  write?: WritePolicy | undefined;
  /**
   * The generic tools that may touch this model (`['db_get']`); `[]` leaves it to domain tools only.
   * Absent: every generic tool the policy enables.
   */
  tools?: GenericToolName[] | undefined;
}

/** A data subject (e.g. `Customer`) whose operations DSAR reports and erasure find. */
export interface AuditSubjectPolicy {
  /** Attributes of other models that hold this subject's primary key: `{ Order: 'customerId' }`. */
  references?: Record<string, string> | undefined;
}

/** Days a record stays in each tier: hot (the SQL table), warm and cold (exported archives). */
export interface AuditRetention {
  hotDays: number;
  warmDays: number;
  coldDays: number;
}

export interface AuditPolicy {
  /** What calls do when the audit sink cannot write: 'fail_closed' (PROD default) refuses them with `audit_unavailable`. */
  onFailure: 'fail_closed' | 'continue';
  retention: AuditRetention;
  /** Subject models by name. */
  subjects: Record<string, AuditSubjectPolicy>;
}

/** The quotas a policy can set; `quota_exceeded` names the one that refused. */
export type QuotaName = 'toolCallsPerMinute' | 'rowsPerHour' | 'rowsPerDay' | 'writesPerDay';

/**
 * Per-tenant quotas (per user under a tenant-free policy), counted in the instance's budget store, so
 * a shared store makes them hold across instances. Absent limits are not counted.
 */
export interface Quotas {
  /** Every tool call and approval decision (approve, deny) of the tenant. */
  toolCallsPerMinute?: number | undefined;
  /** Rows returned by db_query and db_get; a read is allowed while the window is not spent, then its rows are counted. */
  rowsPerHour?: number | undefined;
  rowsPerDay?: number | undefined;
  /** Calls of write tools (db_create, db_update, db_delete, db_bulk_update), whatever their outcome. */
  writesPerDay?: number | undefined;
  /**
   * What reads do when the budget store cannot answer (down, or slower than its timeout): 'fail_closed'
   * (PROD default) refuses them with `budget_unavailable`, 'continue' runs them unmetered and reports
   * the failure to `onError`. Writes always fail closed. Also governs the AI SDK's shared step budget.
   */
  onStoreFailure: 'fail_closed' | 'continue';
}

export interface Policy {
  version: 1;
  profile: 'prod' | 'internal' | 'dev';
  readOnly: boolean;
  requireReason: boolean;
  tenantScope: TenantScope;
  denyFields: string[];
  maskFields: Record<string, MaskStrategy>;
  budgets: Budgets;
  toolBudgets: { [T in ReadToolName]?: PartialBudgets };
  models: Record<string, ModelPolicy>;
  audit: AuditPolicy;
  quotas?: Quotas | undefined;
  /** The generic tools offered at all (`[]`: domain tools only). Absent: all of them; each model can narrow it further. */
  tools?: GenericToolName[] | undefined;
}

/**
 * A policy whose type shows that no model is tenant-scoped: `tenantScope: false` at the top and on no
 * model a `{ field }`. `definePolicy` returns this type for such specs, and `createOrmAI` then accepts
 * run contexts without `tenantId`. Any other policy, including one parsed from JSON, requires `tenantId`.
 */
export interface TenantFreePolicy extends Policy {
  tenantScope: false;
  models: Record<string, ModelPolicy & { tenantScope?: false | undefined }>;
}
