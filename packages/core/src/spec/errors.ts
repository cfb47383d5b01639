import type { ApprovalStatus } from './approval-status.js';
import type { QuotaName } from './policy.js';

/**
 * What each error code carries in `details`: safe facts only (names the policy lets the agent see,
 * budgets, counts), never SQL, driver messages, stack traces or values of denied fields.
 */
export interface ErrorDetailsByCode {
  /** Which of these are set depends on the problem: a field's value, a filter operator, the schema check's issues... */
  invalid_input: {
    model?: string;
    field?: string;
    /** Fields whose values the database rejected (only fields the agent can read). */
    fields?: string[];
    op?: string;
    /** The schema check's problems, `path: message`, at most five. */
    issues?: string[];
    /** The nesting limit the input went past. */
    maxDepth?: number;
  };
  invalid_context: Record<string, never>;
  unknown_tool: { tools: string[] };
  model_not_allowed: { model: string; allowedModels: string[] };
  field_not_allowed: { model: string; field: string; usage: string; allowedFields: string[] };
  relation_not_allowed: { model: string; relation: string; allowedRelations: string[] };
  operator_not_allowed: { model: string; field: string; op: string; allowedOperators: string[] };
  tenant_mismatch: { model: string };
  max_rows_exceeded: { model: string; requested: number; maxRows: number };
  /** No row estimate: it counts other tenants' rows too. */
  scan_budget_exceeded: { model: string; maxScanRows: number; indexedFields: string[] };
  join_depth_exceeded: { depth: number; maxJoinDepth: number };
  statement_timeout: { model: string; timeoutMs: number };
  step_budget_exceeded: { maxToolCalls: number };
  reason_required: { tool: string };
  write_not_allowed: { model: string; operation: string; allowedModels: string[] };
  affected_rows_exceeded: { model: string; maxAffectedRows: number };
  /** `stale`: a previewId was given but no longer matches the rows (or expired). */
  dry_run_required: { model: string; affectedRows: number; dryRunAbove: number; stale: boolean };
  rate_limited: { model: string; maxWritesPerMinute: number; retryAfterMs: number };
  /** A quota of the policy is spent for this tenant: which one, its limit, and when it frees up. */
  quota_exceeded: { quota: QuotaName; limit: number; retryAfterMs: number };
  /** The shared budget store did not answer (down, or slower than its timeout): nothing was done. */
  budget_unavailable: Record<string, never>;
  /** The audit trail cannot record calls (its sink is down or its queue is full): nothing was done. */
  audit_unavailable: Record<string, never>;
  /**
   * The database could not be reached or the connection broke (a restart, a failover, a killed backend) before
   * the call completed. A write's transaction was rolled back, unless the connection broke during its commit.
   */
  database_unavailable: Record<string, never>;
  /**
   * The call collided with concurrent work (a deadlock, a serialization failure) and the database undid it:
   * nothing was done, and the same call can succeed now.
   */
  transaction_conflict: Record<string, never>;
  /** `rule`: the names of the rules that fired, comma-separated; `expiresAt`: ISO-8601. */
  approval_required: { approvalId: string; rule: string; model: string; slaMs: number; expiresAt: string };
  /** `status` is set when the approval was already decided; absent when it changed concurrently. */
  approval_not_pending: { status?: ApprovalStatus };
  approval_stale: { model: string };
  /** `approverRoles` is set when the approver lacks every role the rules ask for. */
  approver_not_allowed: { approverRoles?: string[] };
  /** `model` is 'approval' for an unknown approval id. */
  not_found: { model: string };
  internal_error: Record<string, never>;
}

export type ErrorCode = keyof ErrorDetailsByCode;

/** The `details` of one error code: `ErrorDetailsOf<'scan_budget_exceeded'>['indexedFields']` is `string[]`. */
export type ErrorDetailsOf<C extends ErrorCode> = ErrorDetailsByCode[C];

/** The payload of one error code (a union of payloads when `C` is a union). */
export type ErrorPayloadOf<C extends ErrorCode> = C extends ErrorCode
  ? {
      code: C;
      message: string;
      /** True when the same call, corrected as the suggestion says, can succeed. */
      retryable: boolean;
      suggestion: string;
      details: ErrorDetailsByCode[C];
    }
  : never;

/** What an agent (and audit, and user code) receives for a refusal: switch on `code` to read typed `details`. */
export type ErrorPayload = ErrorPayloadOf<ErrorCode>;
