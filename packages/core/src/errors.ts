import { errorWording as say, type AgentText } from './error-wording.js';
import type { ApprovalStatus } from './spec/approval-status.js';
import type { ErrorCode, ErrorDetailsOf, ErrorPayloadOf } from './spec/errors.js';
import type { Assert, Same } from './spec/type-assert.js';
import type { QuotaName } from './spec/policy.js';

/**
 * One error type for everything a tool can refuse or fail with. The `code` discriminates and types
 * `details` (see spec/errors.ts); every error carries what an agent needs to recover (`retryable`,
 * `suggestion`) and only safe `details`: never SQL, driver messages, stack traces or values of denied fields.
 */
export const ERROR_CODES = [
  'invalid_input',
  'invalid_context',
  'unknown_tool',
  'model_not_allowed',
  'field_not_allowed',
  'relation_not_allowed',
  'operator_not_allowed',
  'tenant_mismatch',
  'max_rows_exceeded',
  'scan_budget_exceeded',
  'join_depth_exceeded',
  'statement_timeout',
  'step_budget_exceeded',
  'reason_required',
  'write_not_allowed',
  'affected_rows_exceeded',
  'dry_run_required',
  'rate_limited',
  'quota_exceeded',
  'budget_unavailable',
  'audit_unavailable',
  'database_unavailable',
  'transaction_conflict',
  'approval_required',
  'approval_not_pending',
  'approval_stale',
  'approver_not_allowed',
  'not_found',
  'internal_error',
] as const;

// The list names every code of the payload union, and only those.
type CodesListed = Assert<Same<(typeof ERROR_CODES)[number], ErrorCode>>;

/** Whether the same call, corrected as the suggestion says, can succeed: a property of the code. */
const RETRYABLE: Record<ErrorCode, boolean> = {
  invalid_input: true,
  invalid_context: false,
  unknown_tool: true,
  model_not_allowed: true,
  field_not_allowed: true,
  relation_not_allowed: true,
  operator_not_allowed: true,
  tenant_mismatch: false,
  max_rows_exceeded: true,
  scan_budget_exceeded: true,
  join_depth_exceeded: true,
  statement_timeout: true,
  step_budget_exceeded: false,
  reason_required: true,
  write_not_allowed: false,
  affected_rows_exceeded: true,
  dry_run_required: true,
  rate_limited: true,
  quota_exceeded: true,
  budget_unavailable: true,
  audit_unavailable: true,
  database_unavailable: true,
  transaction_conflict: true,
  approval_required: false,
  approval_not_pending: false,
  approval_stale: false,
  approver_not_allowed: false,
  not_found: false,
  internal_error: false,
};

const marker = Symbol.for('ormai.error');

/**
 * `OrmAIError<'rate_limited'>` has `details.retryAfterMs`; a plain `OrmAIError` is any code, and its
 * `toJSON()` is the `ErrorPayload` union: switch on `code` there to read typed details.
 */
export class OrmAIError<C extends ErrorCode = ErrorCode> extends Error {
  private readonly [marker] = true;
  readonly code: C;
  readonly retryable: boolean;
  readonly suggestion: string;
  readonly details: ErrorDetailsOf<C>;

  constructor(payload: ErrorPayloadOf<C>) {
    super(payload.message);
    this.name = 'OrmAIError';
    this.code = payload.code as C;
    this.retryable = payload.retryable;
    this.suggestion = payload.suggestion;
    this.details = payload.details as ErrorDetailsOf<C>;
  }

  /** Works across duplicate copies of this package, unlike `instanceof`. */
  static isInstance(value: unknown): value is OrmAIError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }

  toJSON(): ErrorPayloadOf<C> {
    return { code: this.code, message: this.message, retryable: this.retryable, suggestion: this.suggestion, details: this.details } as ErrorPayloadOf<C>;
  }
}

/** Thrown at build time (definePolicy / createOrmAI) when a policy is invalid: developers see every problem at once. */
export class PolicyDefinitionError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid OrmAI policy:\n- ${problems.join('\n- ')}`);
    this.name = 'PolicyDefinitionError';
    this.problems = problems;
  }
}

const make = <C extends ErrorCode>(code: C, text: AgentText, details: ErrorDetailsOf<C>): OrmAIError<C> =>
  new OrmAIError({ code, message: text.message, retryable: RETRYABLE[code], suggestion: text.suggestion, details } as ErrorPayloadOf<C>);

/** One factory per code: each assembles the payload from its facts and the wording in error-wording.ts. */
export const errors = {
  /** `text` is one of `errorWording.invalidInput`'s problems, phrased from the argument at fault. */
  invalidInput(text: AgentText, details: ErrorDetailsOf<'invalid_input'> = {}) {
    return make('invalid_input', text, details);
  },
  invalidContext() {
    return make('invalid_context', say.invalidContext(), {});
  },
  unknownTool(tool: string, tools: readonly string[]) {
    return make('unknown_tool', say.unknownTool(tool, tools), { tools: [...tools] });
  },
  modelNotAllowed(model: string, allowed: readonly string[]) {
    return make('model_not_allowed', say.modelNotAllowed(model, allowed), { model, allowedModels: [...allowed] });
  },
  fieldNotAllowed(model: string, field: string, usage: string, allowed: readonly string[]) {
    return make('field_not_allowed', say.fieldNotAllowed(model, field, usage, allowed), { model, field, usage, allowedFields: [...allowed] });
  },
  relationNotAllowed(model: string, relation: string, allowed: readonly string[]) {
    return make('relation_not_allowed', say.relationNotAllowed(model, relation, allowed), { model, relation, allowedRelations: [...allowed] });
  },
  operatorNotAllowed(model: string, field: string, op: string, allowed: readonly string[]) {
    return make('operator_not_allowed', say.operatorNotAllowed(model, field, op, allowed), { model, field, op, allowedOperators: [...allowed] });
  },
  tenantMismatch(model: string) {
    return make('tenant_mismatch', say.tenantMismatch(model), { model });
  },
  maxRowsExceeded(model: string, requested: number, maxRows: number) {
    return make('max_rows_exceeded', say.maxRowsExceeded(model, requested, maxRows), { model, requested, maxRows });
  },
  scanBudgetExceeded(input: { model: string; maxScanRows: number; indexedFields: readonly string[] }) {
    const { model, maxScanRows, indexedFields } = input;
    return make('scan_budget_exceeded', say.scanBudgetExceeded(model, maxScanRows, indexedFields), { model, maxScanRows, indexedFields: [...indexedFields] });
  },
  joinDepthExceeded(depth: number, maxJoinDepth: number) {
    return make('join_depth_exceeded', say.joinDepthExceeded(depth, maxJoinDepth), { depth, maxJoinDepth });
  },
  statementTimeout(model: string, timeoutMs: number) {
    return make('statement_timeout', say.statementTimeout(model, timeoutMs), { model, timeoutMs });
  },
  stepBudgetExceeded(maxToolCalls: number) {
    return make('step_budget_exceeded', say.stepBudgetExceeded(maxToolCalls), { maxToolCalls });
  },
  reasonRequired(tool: string) {
    return make('reason_required', say.reasonRequired(tool), { tool });
  },
  writeNotAllowed(model: string, operation: string, allowedModels: readonly string[]) {
    return make('write_not_allowed', say.writeNotAllowed(model, operation, allowedModels), { model, operation, allowedModels: [...allowedModels] });
  },
  affectedRowsExceeded(model: string, maxAffectedRows: number) {
    return make('affected_rows_exceeded', say.affectedRowsExceeded(model, maxAffectedRows), { model, maxAffectedRows });
  },
  dryRunRequired(model: string, affectedRows: number, dryRunAbove: number, stale: boolean) {
    return make('dry_run_required', say.dryRunRequired(model, affectedRows, dryRunAbove, stale), { model, affectedRows, dryRunAbove, stale });
  },
  rateLimited(model: string, maxWritesPerMinute: number, retryAfterMs: number) {
    return make('rate_limited', say.rateLimited(model, maxWritesPerMinute, retryAfterMs), { model, maxWritesPerMinute, retryAfterMs });
  },
  quotaExceeded(quota: QuotaName, limit: number, retryAfterMs: number) {
    return make('quota_exceeded', say.quotaExceeded(quota, limit, retryAfterMs), { quota, limit, retryAfterMs });
  },
  budgetUnavailable() {
    return make('budget_unavailable', say.budgetUnavailable(), {});
  },
  auditUnavailable() {
    return make('audit_unavailable', say.auditUnavailable(), {});
  },
  databaseUnavailable() {
    return make('database_unavailable', say.databaseUnavailable(), {});
  },
  transactionConflict() {
    return make('transaction_conflict', say.transactionConflict(), {});
  },
  approvalRequired(input: ErrorDetailsOf<'approval_required'>) {
    return make('approval_required', say.approvalRequired(input.model, input.rule, input.slaMs), { ...input });
  },
  /** Decided already (`{ id, status }`), or changed while it ran or while being decided. */
  approvalNotPending(approval: { id: string; status: ApprovalStatus } | 'running' | 'contended') {
    return make('approval_not_pending', say.approvalNotPending(approval), typeof approval === 'string' ? {} : { status: approval.status });
  },
  approvalStale(model: string, why: string) {
    return make('approval_stale', say.approvalStale(model, why), { model });
  },
  approverNotAllowed(why: 'own_request' | 'invalid_context' | { approverRoles: readonly string[] }) {
    return make('approver_not_allowed', say.approverNotAllowed(why), typeof why === 'string' ? {} : { approverRoles: [...why.approverRoles] });
  },
  /** `model` is 'approval' for an unknown approval id. */
  notFound(model: string) {
    return make('not_found', say.notFound(model), { model });
  },
  internal() {
    return make('internal_error', say.internal(), {});
  },
};
