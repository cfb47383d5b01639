import type { WriteEffect } from '../spec/adapter.js';
import type { ApprovalRecord } from '../spec/stores.js';
import { readApproval } from '../approvals/approvals.js';
import { projectionFields } from '../authorize/select.js';
import { randomKey, bytesToHex } from '../crypto.js';
import { errors } from '../errors.js';
import type { BoundModel, BoundPolicy } from '../spec/bound-policy.js';
import type { WriteOperation } from '../spec/policy.js';
import type { Scalar } from '../spec/plan.js';
import type { ApprovalStatusInput, FilterInput, PreviewWriteInput } from '../spec/tool-inputs.js';
import type { ApprovalStatusResult, BulkUpdateResult, DeleteResult, PreviewResult, WriteRowResult } from '../spec/tools.js';
import { projectRow, type Projection } from '../redact.js';
import { ApprovalGateHit, executeWrite } from '../write/execute-write.js';
import { issuePreviewId, PREVIEW_TTL_MS } from '../write/preview-token.js';
import { argsHashOf, checkReason, checkValues, requireWritable, TOOL_OF, type WriteCall } from '../write/write-call.js';
import { primaryKeyValue } from './get.js';
import { genericTool, type ToolDefinition } from './read-tools.js';
import { requireModel, type ToolEnv } from './tool-env.js';
import * as inputs from './write-input-schemas.js';
import { errorWording } from '../error-wording.js';

/** The arguments of any write tool (and of a preview), as parsed: optional ones may be absent or undefined. */
interface WriteArgs {
  model: string;
  id?: string | number | undefined;
  where?: FilterInput | undefined;
  values?: Record<string, Scalar> | undefined;
  reason?: string | undefined;
  previewId?: string | undefined;
}

/** Checks one write request against the policy and turns it into a WriteCall. Also used to re-check an approved write at execution. */
function buildCall(operation: WriteOperation, args: WriteArgs, env: ToolEnv, options: { preview: boolean }): WriteCall {
  const model = requireModel(env, args.model);
  const write = requireWritable(model, operation, writableModels(env.bound, operation));
  const reason = options.preview ? '' : checkReason(TOOL_OF[operation], write, args.reason);
  if (reason) env.facts.reason = reason;
  const values = checkValues(model, write, operation, args.values);
  const id = args.id === undefined ? undefined : primaryKeyValue(model, args.id);
  if ((operation === 'update' || operation === 'delete') && id === undefined) {
    throw errors.invalidInput(errorWording.invalidInput.needsId(operation));
  }
  if (operation === 'bulk_update' && !args.where) throw errors.invalidInput(errorWording.invalidInput.needsWhere());
  const target = operation === 'bulk_update' ? { where: args.where! } : operation === 'create' ? {} : { id: id! };
  const argsHash = argsHashOf({ operation, model: model.name, ...target, values });
  return { operation, model, write, ...target, values, reason, ...(args.previewId ? { previewId: args.previewId } : {}), argsHash };
}

const writableModels = (bound: BoundPolicy, operation: WriteOperation) =>
  bound.modelNames.filter((name) => bound.models[name]!.write?.operations.includes(operation));

/** What the agent may see of a written row: its readable fields, masked as in any read. */
const readableProjection = (model: BoundModel): Projection => ({ fields: projectionFields(model, model.readable), includes: [] });

/** What each write operation answers with. */
interface WriteResults {
  create: WriteRowResult;
  update: WriteRowResult;
  delete: DeleteResult;
  bulk_update: BulkUpdateResult;
}

function resultOf(call: WriteCall, env: ToolEnv) {
  const projection = readableProjection(call.model);
  const pk = call.model.primaryKey;
  return (effect: WriteEffect): WriteResults[WriteOperation] => {
    switch (call.operation) {
      case 'create':
      case 'update':
        return { row: effect.after[0] ? projectRow(effect.after[0], projection, env.hashKey) : null };
      case 'delete':
        return { deleted: effect.before.length, id: call.id as string | number, soft: call.write.softDelete };
      case 'bulk_update':
        return { affectedRows: effect.after.length, ids: effect.after.map((r) => r[pk] as string | number) };
    }
  };
}

export const newApprovalId = () => `apr_${bytesToHex(randomKey()).slice(0, 24)}`;

async function queueApproval(call: WriteCall, args: WriteArgs, hit: ApprovalGateHit, env: ToolEnv): Promise<never> {
  const now = env.clock();
  // The request waits only as long as its least patient rule allows.
  const slaMs = Math.min(...hit.rules.map((r) => r.slaMs));
  const names = hit.rules.map((r) => r.name).join(', ');
  const record: ApprovalRecord = {
    id: newApprovalId(),
    version: 0,
    tenantId: env.tenantId,
    requestedBy: env.context.userId,
    requesterRoles: env.context.roles ?? [],
    tool: TOOL_OF[call.operation],
    model: call.model.name,
    operation: call.operation,
    args: { ...args },
    argsHash: call.argsHash,
    targetsHash: hit.targetsHash,
    reason: call.reason,
    approvals: hit.rules.map((r) => ({ rule: r.name, approverRoles: r.approverRoles })),
    slaMs,
    status: 'pending',
    createdAt: now,
    expiresAt: now + slaMs,
    ...(env.facts.subjects?.length ? { subjects: env.facts.subjects } : {}),
  };
  await env.approvalStore.create(record);
  env.facts.approvalId = record.id;
  throw errors.approvalRequired({ approvalId: record.id, rule: names, model: call.model.name, slaMs, expiresAt: new Date(record.expiresAt).toISOString() });
}

async function runWrite<O extends WriteOperation>(operation: O, args: WriteArgs, env: ToolEnv): Promise<WriteResults[O]> {
  const call = buildCall(operation, args, env, { preview: false });
  try {
    // resultOf answers for call.operation, which is `operation`.
    return (await executeWrite(call, env, { dryRun: false, resultOf: resultOf(call, env) })).result as WriteResults[O];
  } catch (error) {
    if (error instanceof ApprovalGateHit) return queueApproval(call, args, error, env);
    throw error;
  }
}

/** Runs an approved write exactly as stored, as its requester, against today's policy and on the rows that were approved. */
export async function runApprovedWrite(record: ApprovalRecord, executionId: string, env: ToolEnv): Promise<unknown> {
  const call = buildCall(record.operation, record.args as unknown as WriteArgs, env, { preview: false });
  if (call.argsHash !== record.argsHash) throw errors.internal(); // stored arguments were altered
  env.facts.approvalId = record.id;
  env.facts.approvers = record.approvals.flatMap((a) => (a.approvedBy ? [a.approvedBy] : []));
  return (await executeWrite(call, env, { dryRun: false, approval: { record, executionId }, resultOf: resultOf(call, env) })).result;
}

const SAMPLE_ROWS = 5;

async function runPreview(input: PreviewWriteInput, env: ToolEnv): Promise<PreviewResult> {
  const call = buildCall(input.operation, input, env, { preview: true });
  const projection = readableProjection(call.model);
  const { effect, gates, targetsHash } = await executeWrite(call, env, { dryRun: true, resultOf: () => null });
  const expiresAt = env.clock() + PREVIEW_TTL_MS;
  const who = { tenantId: env.tenantId, userId: env.context.userId };
  const affected = call.operation === 'create' ? effect.after : effect.before;
  const afterById = new Map(effect.after.map((r) => [r[call.model.primaryKey], r]));
  return {
    previewId: issuePreviewId(env.previewKey, who, call.argsHash, targetsHash ?? '', expiresAt),
    operation: call.operation,
    model: call.model.name,
    affectedRows: affected.length,
    sample: affected.slice(0, SAMPLE_ROWS).map((row) => {
      const before = call.operation === 'create' ? null : projectRow(row, projection, env.hashKey);
      const afterRow = call.operation === 'create' ? row : afterById.get(row[call.model.primaryKey]);
      return { before, after: afterRow ? projectRow(afterRow, projection, env.hashKey) : null };
    }),
    requiresApproval: gates.map((g) => g.name),
    expiresAt: new Date(expiresAt).toISOString(),
  };
}

async function runApprovalStatus(input: ApprovalStatusInput, env: ToolEnv): Promise<ApprovalStatusResult> {
  const record = await readApproval(env.approvalStore, input.approvalId, env.clock());
  // Only the requester sees its request (another principal's, or another tenant's, is "not found").
  if (!record || record.tenantId !== env.tenantId || record.requestedBy !== env.context.userId) throw errors.notFound('approval');
  env.facts.approvalId = record.id;
  if (record.subjects) env.facts.subjects = record.subjects;
  return {
    approvalId: record.id,
    status: record.status,
    rules: record.approvals.map((a) => ({ rule: a.rule, approved: Boolean(a.approvedBy) })),
    model: record.model,
    operation: record.operation,
    requestedAt: new Date(record.createdAt).toISOString(),
    expiresAt: new Date(record.expiresAt).toISOString(),
    ...(record.decidedAt ? { decidedAt: new Date(record.decidedAt).toISOString() } : {}),
    ...(record.status === 'executed' ? { result: record.result } : {}),
    ...(record.error ? { error: record.error } : {}),
  };
}

/** Write tools exist only for operations some model enables; each description names those models. */
export function writeTools(bound: BoundPolicy): ToolDefinition[] {
  const on = (op: WriteOperation) => writableModels(bound, op).join(', ');
  const defs: Array<ToolDefinition | null> = [
    on('create') ? genericTool({ name: 'db_create', description: `Create a row (${on('create')}).`, inputSchema: inputs.createInput, access: 'write', run: (i, env) => runWrite('create', i, env) }) : null,
    on('update') ? genericTool({ name: 'db_update', description: `Update one row by id (${on('update')}).`, inputSchema: inputs.updateInput, access: 'write', run: (i, env) => runWrite('update', i, env) }) : null,
    on('delete') ? genericTool({ name: 'db_delete', description: `Delete one row by id (${on('delete')}).`, inputSchema: inputs.deleteInput, access: 'write', run: (i, env) => runWrite('delete', i, env) }) : null,
    on('bulk_update')
      ? genericTool({
          name: 'db_bulk_update',
          description: `Update every row matching where (${on('bulk_update')}).`,
          inputSchema: inputs.bulkUpdateInput,
          access: 'write',
          run: (i, env) => runWrite('bulk_update', i, env),
        })
      : null,
  ];
  const tools = defs.filter((d): d is ToolDefinition => d !== null);
  if (!tools.length) return [];
  tools.push(genericTool({
    name: 'db_preview_write',
    description: 'Dry-run a write: rows it would change, a before/after sample and a previewId, without changing anything.',
    inputSchema: inputs.previewWriteInput,
    access: 'read',
    run: runPreview,
  }));
  if (bound.modelNames.some((n) => bound.models[n]!.write?.approvals.length)) {
    tools.push(genericTool({ name: 'db_approval_status', description: 'Status of a write queued for human approval.', inputSchema: inputs.approvalStatusInput, access: 'read', run: runApprovalStatus }));
  }
  return tools;
}
