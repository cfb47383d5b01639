import type { ApprovalStatus } from './spec/approval-status.js';

/**
 * Everything an agent reads when a call is refused, in one place (as Zod keeps its messages in
 * `locales/en.ts`): each function phrases one code from the facts it is given. errors.ts only
 * assembles payloads. `invalid_input` problems are phrased where the input is checked, since each
 * names the argument at fault.
 */
export interface AgentText {
  message: string;
  suggestion: string;
}

const list = (names: readonly string[], max = 40): string =>
  names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, ... (${names.length - max} more)`;

export const errorWording = {
  invalidContext: (): AgentText => ({
    message: 'The run context is missing or invalid.',
    suggestion: 'This is a server configuration problem, not something the request can fix: tell the user the data is unavailable.',
  }),
  unknownTool: (tool: string, tools: readonly string[]): AgentText => ({
    message: `There is no tool '${tool}'.`,
    suggestion: `Use one of: ${tools.join(', ')}.`,
  }),
  modelNotAllowed: (model: string, allowed: readonly string[]): AgentText => ({
    message: `Model '${model}' is not available.`,
    suggestion: `Use one of: ${list(allowed)}. Call db_describe_schema to see them.`,
  }),
  fieldNotAllowed: (model: string, field: string, usage: string, allowed: readonly string[]): AgentText => ({
    message: `Field '${field}' of '${model}' cannot be used in ${usage}.`,
    suggestion: allowed.length ? `Fields usable in ${usage} on '${model}': ${list(allowed)}.` : `No field of '${model}' can be used in ${usage}.`,
  }),
  relationNotAllowed: (model: string, relation: string, allowed: readonly string[]): AgentText => ({
    message: `Relation '${relation}' of '${model}' is not available.`,
    suggestion: allowed.length ? `Relations of '${model}' you can include: ${list(allowed)}.` : `'${model}' has no includable relations.`,
  }),
  operatorNotAllowed: (model: string, field: string, op: string, allowed: readonly string[]): AgentText => ({
    message: `Operator '${op}' cannot be used on field '${field}' of '${model}'.`,
    suggestion: `Operators for '${field}': ${list(allowed)}.`,
  }),
  tenantMismatch: (model: string): AgentText => ({
    message: `Filters on '${model}' cannot name a tenant.`,
    suggestion: 'Results are already limited to your tenant: remove the tenant condition from the filter.',
  }),
  maxRowsExceeded: (model: string, requested: number, maxRows: number): AgentText => ({
    message: `A limit of ${requested} exceeds the ${maxRows}-row budget for '${model}'.`,
    suggestion: `Use limit <= ${maxRows} and page with nextCursor.`,
  }),
  /** No row estimate: it counts other tenants' rows too, which the agent must not learn. */
  scanBudgetExceeded: (model: string, maxScanRows: number, indexedFields: readonly string[]): AgentText => ({
    message: `This query on '${model}' could read more than the ${maxScanRows}-row scan budget.`,
    suggestion: indexedFields.length
      ? `Narrow it with a selective filter on an indexed field (${list(indexedFields)}), and sort by an indexed field.`
      : 'Narrow it with a more selective filter.',
  }),
  joinDepthExceeded: (depth: number, maxJoinDepth: number): AgentText => ({
    message: `Includes nested ${depth} levels deep exceed the limit of ${maxJoinDepth}.`,
    suggestion: `Nest include at most ${maxJoinDepth} levels deep, or query the related model separately.`,
  }),
  statementTimeout: (model: string, timeoutMs: number): AgentText => ({
    message: `The query on '${model}' took longer than ${timeoutMs} ms and was cancelled.`,
    suggestion: 'Retry with a narrower filter on an indexed field, a smaller limit or fewer includes.',
  }),
  stepBudgetExceeded: (maxToolCalls: number): AgentText => ({
    message: `This run has used its ${maxToolCalls} database tool calls.`,
    suggestion: 'Stop calling tools and answer with what you have, saying what is incomplete.',
  }),
  reasonRequired: (tool: string): AgentText => ({
    message: `${tool} needs a reason: a sentence explaining why this change is made.`,
    suggestion: 'Add a reason of at least a few words (e.g. "customer asked to cancel order 42 by email"), then call again.',
  }),
  writeNotAllowed: (model: string, operation: string, allowedModels: readonly string[]): AgentText => ({
    message: `'${operation}' is not allowed on '${model}'.`,
    suggestion: allowedModels.length ? `'${operation}' is allowed on: ${list(allowedModels)}.` : `Do not attempt '${operation}'.`,
  }),
  affectedRowsExceeded: (model: string, maxAffectedRows: number): AgentText => ({
    message: `This write would change more than ${maxAffectedRows} rows of '${model}'.`,
    suggestion: `Narrow the filter so at most ${maxAffectedRows} rows match; check the count with db_preview_write.`,
  }),
  dryRunRequired: (model: string, affectedRows: number, dryRunAbove: number, stale: boolean): AgentText => ({
    message: stale
      ? `The rows of '${model}' matching this write changed since the preview, or the preview expired.`
      : `This write would change ${affectedRows} rows of '${model}'; more than ${dryRunAbove} needs a preview first.`,
    suggestion: 'Call db_preview_write with exactly the same arguments, check the sample, then repeat the write with its previewId.',
  }),
  rateLimited: (model: string, maxWritesPerMinute: number, retryAfterMs: number): AgentText => ({
    message: `The limit of ${maxWritesPerMinute} writes per minute on '${model}' is reached.`,
    suggestion: `Wait ${Math.ceil(retryAfterMs / 1000)} s before writing again, or batch the change with db_bulk_update.`,
  }),
  budgetUnavailable: (): AgentText => ({
    message: 'The rate-limit service did not answer, so nothing was done.',
    suggestion: 'Retry in a few seconds; if it keeps failing, tell the user the change could not be made right now.',
  }),
  approvalRequired: (model: string, rule: string, slaMs: number): AgentText => ({
    message: `This change to '${model}' needs human approval ('${rule}'); it was queued, not applied.`,
    suggestion: `Tell the user it awaits approval (within ${Math.round(slaMs / 60_000)} min); check it with db_approval_status. Do not resubmit it.`,
  }),
  /** An approval already decided; or one that changed while it ran ('running') or while being decided ('contended'). */
  approvalNotPending: (approval: { id: string; status: ApprovalStatus } | 'running' | 'contended'): AgentText =>
    approval === 'running'
      ? { message: 'The approval changed while running.', suggestion: 'Read its status.' }
      : approval === 'contended'
        ? { message: 'The approval is changing concurrently.', suggestion: 'Try again.' }
        : { message: `Approval ${approval.id} is ${approval.status}.`, suggestion: 'Only pending approvals can be decided; a new request is needed.' },
  approvalStale: (model: string, why: string): AgentText => ({
    message: `The approved write to '${model}' no longer matches what was approved: ${why}.`,
    suggestion: 'Submit the write again so it can be reviewed as it is now.',
  }),
  approverNotAllowed: (why: 'own_request' | 'other_tenant' | 'invalid_context' | { approverRoles: readonly string[] }): AgentText => {
    if (why === 'own_request') return { message: 'The requester cannot approve their own write.', suggestion: 'Ask someone else with an approver role.' };
    if (why === 'other_tenant') return { message: 'Approvers must belong to the tenant of the request.', suggestion: 'Ask an approver of that tenant.' };
    if (why === 'invalid_context') {
      return { message: 'The approver context is invalid.', suggestion: 'Pass the approver as a run context with userId and roles.' };
    }
    return { message: `Approving this request needs one of the roles: ${why.approverRoles.join(', ')}.`, suggestion: 'Ask someone who holds one of them.' };
  },
  notFound: (model: string): AgentText =>
    model === 'approval'
      ? { message: 'No such approval.', suggestion: 'Check the approval id.' }
      : { message: `No '${model}' with that id.`, suggestion: `Check the id, or search with db_query on '${model}'.` },
  internal: (): AgentText => ({
    message: 'The tool failed unexpectedly.',
    suggestion: 'Try a different request; if it keeps failing, tell the user the data is unavailable right now.',
  }),
};
