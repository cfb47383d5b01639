import type { ErrorCode } from './errors.js';
import type { Policy } from './policy/policy-schema.js';

/** How an agent should react to each structured error: the text of the system-prompt section. */
const RECOVERY: Partial<Record<ErrorCode, string>> = {
  invalid_input: 'fix the arguments as the message says and call again.',
  model_not_allowed: 'use only the models in details.allowedModels.',
  field_not_allowed: 'use only details.allowedFields; a missing field is not available to you, do not guess others.',
  relation_not_allowed: 'include only details.allowedRelations.',
  operator_not_allowed: 'use an operator from details.allowedOperators.',
  tenant_mismatch: 'never filter by tenant: your data is already limited to your own tenant; drop that condition.',
  max_rows_exceeded: 'use a limit within details.maxRows and page with nextCursor.',
  scan_budget_exceeded: 'add a selective filter on one of details.indexedFields (or aggregate over a narrower range), then retry.',
  join_depth_exceeded: 'include fewer levels and query related models separately.',
  statement_timeout: 'retry once with a narrower filter or smaller limit; if it fails again, say the data is too slow to fetch.',
  step_budget_exceeded: 'stop calling tools and answer with what you have.',
  not_found: 'the record does not exist for you; do not retry the same id.',
  invalid_context: 'stop and tell the user the data is unavailable right now.',
  internal_error: 'do not retry more than once; tell the user the data is unavailable right now.',
};

/**
 * A short system-prompt section: how to use the tools and recover from each error code. It names no
 * tenant (the policy holds none) and no denied field.
 */
export function agentGuidance(policy: Policy): string {
  const lines = [
    'You answer questions from a database through the db_* tools only.',
    `Call db_describe_schema first to see the models (${Object.keys(policy.models).join(', ')}), their fields and budgets.`,
    'Results are already limited to the current tenant. Never ask for or filter by a tenant.',
    'Some fields come back masked (e.g. j***@example.com); never try to recover their values.',
    'A tool result {"error": {code, message, retryable, suggestion}} is a refusal, not a crash: follow the suggestion.',
    ...Object.entries(RECOVERY).map(([code, advice]) => `- ${code}: ${advice}`),
  ];
  return lines.join('\n');
}
