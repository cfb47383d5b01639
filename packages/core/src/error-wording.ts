import type { ApprovalStatus } from './spec/approval-status.js';
import type { QuotaName } from './spec/policy.js';

/**
 * Everything an agent reads when a call is refused, in one place (as Zod keeps its messages in
 * `locales/en.ts`): each function phrases one code from the facts it is given. errors.ts only
 * assembles payloads. `invalid_input` has one entry per problem (`invalidInput.*`), each naming the
 * argument at fault.
 */
export interface AgentText {
  message: string;
  suggestion: string;
}

const list = (names: readonly string[], max = 40): string =>
  names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, ... (${names.length - max} more)`;

const checkValuesOf = (fields: readonly string[]) => (fields.length ? `Check the values of: ${fields.join(', ')}.` : 'Check the values and their types.');

/** A wait as an agent reads it: seconds, minutes or hours, rounded up. */
const waitText = (ms: number): string =>
  ms < 120_000 ? `${Math.ceil(ms / 1000)} s` : ms < 2 * 3_600_000 ? `${Math.ceil(ms / 60_000)} min` : `${Math.ceil(ms / 3_600_000)} h`;

/** `quota_exceeded`, per quota: what is counted, and what the agent can do meanwhile. */
const QUOTA_TEXT: Record<QuotaName, [unit: string, meanwhile: string]> = {
  toolCallsPerMinute: ['tool calls per minute', 'then fetch what you need in fewer calls (one filtered query, an aggregate)'],
  rowsPerHour: ['rows read per hour', 'a read with a smaller limit or a db_aggregate (counts, sums) may still fit, or answer with what you have'],
  rowsPerDay: ['rows read per day', 'a read with a smaller limit or a db_aggregate (counts, sums) may still fit, or answer with what you have'],
  writesPerDay: ['writes per day', 'nothing was changed: tell the user the change has to wait'],
};

/** The problems `invalid_input` reports, one phrasing each. */
const invalidInput = {
  notJson: (): AgentText => ({ message: 'The input is not plain JSON.', suggestion: 'Send a JSON object.' }),
  tooDeep: (maxDepth: number, maxFilterDepth: number): AgentText => ({
    message: `The input is nested too deeply (at most ${maxDepth} levels of objects and arrays).`,
    suggestion: `Flatten the filter: list conditions side by side in one "and"/"or" array instead of nesting them (filters nest at most ${maxFilterDepth} deep, includes at most 3), and use op "in" for alternatives on one field.`,
  }),
  tooLarge: (): AgentText => ({ message: 'The input is too large.', suggestion: 'Send a smaller request.' }),
  schema: (tool: string, issues: readonly string[], description: string): AgentText => ({
    message: `Invalid input for ${tool}: ${issues.join('; ')}`,
    suggestion: `Fix the listed problems; ${description}`,
  }),
  includedTwice: (relation: string): AgentText => ({ message: `Relation '${relation}' is included twice.`, suggestion: 'Include each relation once.' }),
  filterValue: (model: string, field: string, op: string, expected: string): AgentText => ({
    message: `Operator '${op}' on '${model}.${field}' needs ${expected}.`,
    suggestion: op === 'eq' || op === 'ne' ? `${expected}; to test for missing values use op 'is_null' with value true or false.` : `Pass ${expected}.`,
  }),
  filterTooLarge: (maxNodes: number, maxDepth: number): AgentText => ({
    message: `The filter is too large (at most ${maxNodes} conditions, nested ${maxDepth} deep).`,
    suggestion: 'Simplify the filter, for example with op "in" instead of many "or" branches.',
  }),
  cursor: (): AgentText => ({
    message: 'The cursor is invalid or belongs to a different query.',
    suggestion: 'Pass nextCursor exactly as returned, with the same model and orderBy, or omit cursor to start from the first page.',
  }),
  noValues: (writable: readonly string[]): AgentText => ({ message: 'No values to write.', suggestion: `Pass values for some of: ${writable.join(', ')}.` }),
  writeValue: (model: string, field: string, expected: string, nullable: boolean): AgentText => ({
    message: `'${model}.${field}' needs ${expected}${nullable ? ' or null' : ''}.`,
    suggestion: `Pass ${expected}.`,
  }),
  needsId: (operation: string): AgentText => ({ message: `'${operation}' needs the id of the row.`, suggestion: 'Pass id.' }),
  needsWhere: (): AgentText => ({ message: "'bulk_update' needs a where filter.", suggestion: 'Pass where.' }),
  idType: (model: string, kind: 'integers' | 'strings', expected: string): AgentText => ({ message: `'${model}' ids are ${kind}.`, suggestion: `Pass id as ${expected}.` }),
  needsField: (op: string, usable: readonly string[]): AgentText => ({ message: `'${op}' needs a field.`, suggestion: `Pass field, one of: ${usable.join(', ')}.` }),
  missingReference: (field: string, model: string): AgentText => ({
    message: `'${field}' does not refer to an existing ${model}.`,
    suggestion: `Look the ${model} up first (db_query).`,
  }),
  /** The database refused a value; only fields the agent may read are named. */
  rejectedByDatabase: (model: string, problem: string, fields: readonly string[]): AgentText => ({
    message: `A value for '${model}' was rejected by the database (${problem}).`,
    suggestion: checkValuesOf(fields),
  }),
  /** The same refusal with only the fields the agent may read named. */
  checkValuesOf,
  /** A search over a sanitized field would confirm a value its results hide. */
  searchTerm: (): AgentText => ({
    message: 'The search text looks like personal data or a secret (an email, a phone, card or account number, a key).',
    suggestion: 'Search for other words: such values are scrubbed from the results, and a search must not confirm them.',
  }),
};

export const errorWording = {
  invalidInput,
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
  quotaExceeded: (quota: QuotaName, limit: number, retryAfterMs: number): AgentText => ({
    message: `This workspace's limit of ${limit} ${QUOTA_TEXT[quota][0]} is reached.`,
    suggestion: `Wait ${waitText(retryAfterMs)} before trying again; ${QUOTA_TEXT[quota][1]}.`,
  }),
  budgetUnavailable: (): AgentText => ({
    message: 'The rate-limit service did not answer, so nothing was done.',
    suggestion: 'Retry in a few seconds; if it keeps failing, tell the user the change could not be made right now.',
  }),
  auditUnavailable: (): AgentText => ({
    message: 'The audit trail cannot record calls right now, so nothing was done.',
    suggestion: 'Retry in a few seconds; if it keeps failing, tell the user the data is unavailable right now.',
  }),
  databaseUnavailable: (): AgentText => ({
    message: 'The database could not be reached, or the connection was lost, before the call completed.',
    suggestion: 'Retry in a few seconds; before repeating a write, read the record to check whether it was applied. If it keeps failing, tell the user the data is unavailable right now.',
  }),
  transactionConflict: (): AgentText => ({
    message: 'The call collided with other changes made at the same moment, and the database undid it: nothing was done.',
    suggestion: 'Make the same call again; if it keeps colliding, tell the user the change could not be made right now.',
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
  approverNotAllowed: (why: 'own_request' | 'invalid_context' | { approverRoles: readonly string[] }): AgentText => {
    if (why === 'own_request') return { message: 'The requester cannot approve their own write.', suggestion: 'Ask someone else with an approver role.' };
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
