/**
 * One error type for everything a tool can refuse or fail with. The `code` discriminates; every error
 * carries what an agent needs to recover (`retryable`, `suggestion`) and only safe `details`:
 * never SQL, driver messages, stack traces or values of denied fields.
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
  'approval_required',
  'approval_not_pending',
  'approval_stale',
  'approver_not_allowed',
  'not_found',
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorDetails = Record<string, string | number | boolean | null | string[] | number[]>;

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  suggestion: string;
  details: ErrorDetails;
}

const marker = Symbol.for('ormai.error');

export class OrmAIError extends Error {
  private readonly [marker] = true;
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly suggestion: string;
  readonly details: ErrorDetails;

  constructor(payload: Omit<ErrorPayload, 'details'> & { details?: ErrorDetails }) {
    super(payload.message);
    this.name = 'OrmAIError';
    this.code = payload.code;
    this.retryable = payload.retryable;
    this.suggestion = payload.suggestion;
    this.details = payload.details ?? {};
  }

  /** Works across duplicate copies of this package, unlike `instanceof`. */
  static isInstance(value: unknown): value is OrmAIError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }

  toJSON(): ErrorPayload {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      suggestion: this.suggestion,
      details: this.details,
    };
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

const list = (names: readonly string[], max = 40): string =>
  names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, ... (${names.length - max} more)`;

/** Constructors for the common refusals, so messages and suggestions stay consistent. */
export const errors = {
  invalidInput(message: string, suggestion: string, details: ErrorDetails = {}) {
    return new OrmAIError({ code: 'invalid_input', message, retryable: true, suggestion, details });
  },
  modelNotAllowed(model: string, allowed: readonly string[]) {
    return new OrmAIError({
      code: 'model_not_allowed',
      message: `Model '${model}' is not available.`,
      retryable: true,
      suggestion: `Use one of: ${list(allowed)}. Call db_describe_schema to see them.`,
      details: { model, allowedModels: [...allowed] },
    });
  },
  fieldNotAllowed(model: string, field: string, usage: string, allowed: readonly string[]) {
    return new OrmAIError({
      code: 'field_not_allowed',
      message: `Field '${field}' of '${model}' cannot be used in ${usage}.`,
      retryable: true,
      suggestion: allowed.length
        ? `Fields usable in ${usage} on '${model}': ${list(allowed)}.`
        : `No field of '${model}' can be used in ${usage}.`,
      details: { model, field, usage, allowedFields: [...allowed] },
    });
  },
  relationNotAllowed(model: string, relation: string, allowed: readonly string[]) {
    return new OrmAIError({
      code: 'relation_not_allowed',
      message: `Relation '${relation}' of '${model}' is not available.`,
      retryable: true,
      suggestion: allowed.length ? `Relations of '${model}' you can include: ${list(allowed)}.` : `'${model}' has no includable relations.`,
      details: { model, relation, allowedRelations: [...allowed] },
    });
  },
  operatorNotAllowed(model: string, field: string, op: string, allowed: readonly string[]) {
    return new OrmAIError({
      code: 'operator_not_allowed',
      message: `Operator '${op}' cannot be used on field '${field}' of '${model}'.`,
      retryable: true,
      suggestion: `Operators for '${field}': ${list(allowed)}.`,
      details: { model, field, op, allowedOperators: [...allowed] },
    });
  },
  tenantMismatch(model: string) {
    return new OrmAIError({
      code: 'tenant_mismatch',
      message: `Filters on '${model}' cannot name a tenant.`,
      retryable: false,
      suggestion: 'Results are already limited to your tenant: remove the tenant condition from the filter.',
      details: { model },
    });
  },
  maxRowsExceeded(model: string, requested: number, maxRows: number) {
    return new OrmAIError({
      code: 'max_rows_exceeded',
      message: `A limit of ${requested} exceeds the ${maxRows}-row budget for '${model}'.`,
      retryable: true,
      suggestion: `Use limit <= ${maxRows} and page with nextCursor.`,
      details: { model, requested, maxRows },
    });
  },
  joinDepthExceeded(depth: number, maxJoinDepth: number) {
    return new OrmAIError({
      code: 'join_depth_exceeded',
      message: `Includes nested ${depth} levels deep exceed the limit of ${maxJoinDepth}.`,
      retryable: true,
      suggestion: `Nest include at most ${maxJoinDepth} levels deep, or query the related model separately.`,
      details: { depth, maxJoinDepth },
    });
  },
  /** No row estimate: it counts other tenants' rows too, which the agent must not learn. */
  scanBudgetExceeded(input: { model: string; maxScanRows: number; indexedFields: readonly string[] }) {
    const { model, maxScanRows, indexedFields } = input;
    return new OrmAIError({
      code: 'scan_budget_exceeded',
      message: `This query on '${model}' could read more than the ${maxScanRows}-row scan budget.`,
      retryable: true,
      suggestion: indexedFields.length
        ? `Narrow it with a selective filter on an indexed field (${list(indexedFields)}), and sort by an indexed field.`
        : 'Narrow it with a more selective filter.',
      details: { model, maxScanRows, indexedFields: [...indexedFields] },
    });
  },
  statementTimeout(model: string, timeoutMs: number) {
    return new OrmAIError({
      code: 'statement_timeout',
      message: `The query on '${model}' took longer than ${timeoutMs} ms and was cancelled.`,
      retryable: true,
      suggestion: 'Retry with a narrower filter on an indexed field, a smaller limit or fewer includes.',
      details: { model, timeoutMs },
    });
  },
  stepBudgetExceeded(maxToolCalls: number) {
    return new OrmAIError({
      code: 'step_budget_exceeded',
      message: `This run has used its ${maxToolCalls} database tool calls.`,
      retryable: false,
      suggestion: 'Stop calling tools and answer with what you have, saying what is incomplete.',
      details: { maxToolCalls },
    });
  },
  reasonRequired(tool: string) {
    return new OrmAIError({
      code: 'reason_required',
      message: `${tool} needs a reason: a sentence explaining why this change is made.`,
      retryable: true,
      suggestion: 'Add a reason of at least a few words (e.g. "customer asked to cancel order 42 by email"), then call again.',
      details: { tool },
    });
  },
  writeNotAllowed(model: string, operation: string, allowedModels: readonly string[]) {
    return new OrmAIError({
      code: 'write_not_allowed',
      message: `'${operation}' is not allowed on '${model}'.`,
      retryable: false,
      suggestion: allowedModels.length ? `'${operation}' is allowed on: ${list(allowedModels)}.` : `Do not attempt '${operation}'.`,
      details: { model, operation, allowedModels: [...allowedModels] },
    });
  },
  affectedRowsExceeded(model: string, maxAffectedRows: number) {
    return new OrmAIError({
      code: 'affected_rows_exceeded',
      message: `This write would change more than ${maxAffectedRows} rows of '${model}'.`,
      retryable: true,
      suggestion: `Narrow the filter so at most ${maxAffectedRows} rows match; check the count with db_preview_write.`,
      details: { model, maxAffectedRows },
    });
  },
  dryRunRequired(model: string, affectedRows: number, dryRunAbove: number, stale: boolean) {
    return new OrmAIError({
      code: 'dry_run_required',
      message: stale
        ? `The rows of '${model}' matching this write changed since the preview, or the preview expired.`
        : `This write would change ${affectedRows} rows of '${model}'; more than ${dryRunAbove} needs a preview first.`,
      retryable: true,
      suggestion: 'Call db_preview_write with exactly the same arguments, check the sample, then repeat the write with its previewId.',
      details: { model, affectedRows, dryRunAbove, stale },
    });
  },
  rateLimited(model: string, maxWritesPerMinute: number, retryAfterMs: number) {
    return new OrmAIError({
      code: 'rate_limited',
      message: `The limit of ${maxWritesPerMinute} writes per minute on '${model}' is reached.`,
      retryable: true,
      suggestion: `Wait ${Math.ceil(retryAfterMs / 1000)} s before writing again, or batch the change with db_bulk_update.`,
      details: { model, maxWritesPerMinute, retryAfterMs },
    });
  },
  approvalRequired(input: { approvalId: string; rule: string; model: string; slaMs: number; expiresAt: string }) {
    return new OrmAIError({
      code: 'approval_required',
      message: `This change to '${input.model}' needs human approval ('${input.rule}'); it was queued, not applied.`,
      retryable: false,
      suggestion: `Tell the user it awaits approval (within ${Math.round(input.slaMs / 60_000)} min); check it with db_approval_status. Do not resubmit it.`,
      details: { ...input },
    });
  },
  approvalStale(model: string, why: string) {
    return new OrmAIError({
      code: 'approval_stale',
      message: `The approved write to '${model}' no longer matches what was approved: ${why}.`,
      retryable: false,
      suggestion: 'Submit the write again so it can be reviewed as it is now.',
      details: { model },
    });
  },
  notFound(model: string) {
    return new OrmAIError({
      code: 'not_found',
      message: `No '${model}' with that id.`,
      retryable: false,
      suggestion: `Check the id, or search with db_query on '${model}'.`,
      details: { model },
    });
  },
  internal() {
    return new OrmAIError({
      code: 'internal_error',
      message: 'The tool failed unexpectedly.',
      retryable: false,
      suggestion: 'Try a different request; if it keeps failing, tell the user the data is unavailable right now.',
      details: {},
    });
  },
};
