import { ExecutionLimitError } from '../adapter.js';
import { errors, OrmAIError } from '../errors.js';
import type { BoundPolicy } from '../spec/bound-policy.js';
import type { ToolResult } from '../spec/tools.js';

/** Limits hit inside the database are phrased here, where the policy knows which fields the agent may use. */
function fromExecutionLimit(error: ExecutionLimitError, bound: BoundPolicy): OrmAIError {
  if (error.kind === 'statement_timeout') return errors.statementTimeout(error.model, error.limit);
  return errors.scanBudgetExceeded({
    model: error.model,
    maxScanRows: error.limit,
    indexedFields: bound.models[error.model]?.indexedFilterable ?? [],
  });
}

/** Whatever a tool threw, as the agent may see it: a structured refusal, or `internal_error` once `report` has the real error. */
export function asOrmAIError(error: unknown, bound: BoundPolicy, report: () => void): OrmAIError {
  if (OrmAIError.isInstance(error)) return error;
  if (ExecutionLimitError.isInstance(error)) return fromExecutionLimit(error, bound);
  report();
  return errors.internal();
}

export const toEnvelope = (error: unknown, bound: BoundPolicy, report: () => void): ToolResult => ({ ok: false, error: asOrmAIError(error, bound, report).toJSON() });
