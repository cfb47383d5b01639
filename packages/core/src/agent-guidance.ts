import type { ErrorCode } from './spec/errors.js';
import type { Policy } from './spec/policy.js';
import { allowsTool } from './policy/tool-switches.js';

/** How an agent should react to each structured error: the text of the system-prompt section. */
const WRITE_CODES = new Set<ErrorCode>([
  'reason_required', 'write_not_allowed', 'affected_rows_exceeded', 'dry_run_required', 'rate_limited',
  'approval_required', 'approval_not_pending', 'approval_stale', 'approver_not_allowed',
]);

const RECOVERY: Record<ErrorCode, string> = {
  invalid_input: 'fix the arguments as the message says and call again.',
  unknown_tool: 'use only the tools you were given.',
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
  reason_required: 'add a reason: one sentence on why the change is made.',
  write_not_allowed: 'this change is not permitted; tell the user.',
  affected_rows_exceeded: 'narrow the filter so fewer rows change.',
  dry_run_required: 'call db_preview_write with the same arguments, check it, then repeat the write with its previewId.',
  rate_limited: 'wait as long as details.retryAfterMs says, or batch the change.',
  quota_exceeded: 'a quota of this workspace is spent (details.quota): wait details.retryAfterMs or follow the suggestion; do not retry at once.',
  budget_unavailable: 'nothing was done; retry once after a few seconds, then tell the user it could not be done right now.',
  audit_unavailable: 'nothing was done; retry once after a few seconds, then tell the user the data is unavailable right now.',
  database_unavailable: 'retry once after a few seconds (before repeating a write, read whether it was applied), then tell the user the data is unavailable right now.',
  transaction_conflict: 'nothing was done; make the same call again once, then tell the user it could not be done right now.',
  approval_required: 'the change is queued for a person to approve: tell the user, do not resubmit; db_approval_status shows its state.',
  approval_not_pending: 'that approval is already decided.',
  approval_stale: 'the data changed since the request; submit the change again.',
  approver_not_allowed: 'only an approver can decide this.',
  not_found: 'the record does not exist for you; do not retry the same id.',
  invalid_context: 'stop and tell the user the data is unavailable right now.',
  internal_error: 'do not retry more than once; tell the user the data is unavailable right now.',
};

/**
 * A short system-prompt section: how to use the tools and recover from each error code. It names no
 * tenant (the policy holds none) and no denied field.
 */
export function agentGuidance(policy: Policy): string {
  const writes = !policy.readOnly && Object.values(policy.models).some((m) => m.write);
  const codes = (Object.keys(RECOVERY) as ErrorCode[]).filter((code) => writes || !WRITE_CODES.has(code));
  // Tool switches may leave some generic tools, or none (domain tools only): name only what is offered.
  const describable = Object.keys(policy.models).filter((model) => allowsTool(policy, model, 'db_describe_schema'));
  const previews = Object.keys(policy.models).some((model) => allowsTool(policy, model, 'db_preview_write'));
  const lines = [
    'You answer questions from a database through the tools you were given only.',
    ...(describable.length ? [`Call db_describe_schema first to see the models (${describable.join(', ')}), their fields and budgets.`] : []),
    'Results are already limited to the current tenant. Never ask for or filter by a tenant.',
    'Some fields come back masked (e.g. j***@example.com); never try to recover their values.',
    ...(writes ? [previews ? 'Every change needs a reason; preview large changes with db_preview_write first.' : 'Every change needs a reason.'] : []),
    'A tool result {"error": {code, message, retryable, suggestion}} is a refusal, not a crash: follow the suggestion.',
    ...codes.map((code) => `- ${code}: ${RECOVERY[code]}`),
  ];
  return lines.join('\n');
}
