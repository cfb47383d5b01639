import { runContextSchema } from '../context.js';
import type { RunContext } from '../spec/context.js';
import { errors, type OrmAIError } from '../errors.js';
import type { ApprovalsApi } from '../spec/ormai.js';
import type { ApprovalRecord, ApprovalStore } from '../spec/stores.js';
import type { ToolResult } from '../spec/tools.js';

/**
 * An approval not executed by the end of its SLA is expired (auto-denied) the moment anyone reads it:
 * no background timer has to run, and a restarted process sees the same answer. `sweep()` does it in bulk.
 */
async function expireIfDue(store: ApprovalStore, record: ApprovalRecord, now: number): Promise<ApprovalRecord> {
  if ((record.status !== 'pending' && record.status !== 'approved') || now < record.expiresAt) return record;
  const patch = { status: 'expired' as const, decidedAt: now, decisionNote: 'SLA elapsed before the write ran' };
  if (await store.update(record.id, record.version, patch)) return { ...record, ...patch, version: record.version + 1 };
  const latest = await store.get(record.id);
  return latest ? expireIfDue(store, latest, now) : record;
}

export async function readApproval(store: ApprovalStore, id: string, now: number): Promise<ApprovalRecord | null> {
  const record = await store.get(id);
  return record ? expireIfDue(store, record, now) : null;
}

type ExecuteApproved = (record: ApprovalRecord, executionId: string) => Promise<ToolResult>;

const fail = (error: OrmAIError): ToolResult => ({ ok: false, error: error.toJSON() });

const closed = (record: ApprovalRecord) => fail(errors.approvalNotPending(record));

/** Another tenant's request is answered like an unknown id: its existence, status and contents stay hidden. */
const otherTenants = (record: ApprovalRecord, approver: RunContext) => (approver.tenantId ?? null) !== record.tenantId;

/** Approvers of the requester's tenant are not the requester and hold a role a rule asks for. */
function checkApprover(record: ApprovalRecord, approver: RunContext): ToolResult | null {
  if (approver.userId === record.requestedBy) {
    return fail(errors.approverNotAllowed('own_request'));
  }
  const roles = new Set(record.approvals.flatMap((a) => a.approverRoles));
  if (!(approver.roles ?? []).some((role) => roles.has(role))) {
    return fail(errors.approverNotAllowed({ approverRoles: [...roles] }));
  }
  return null;
}

const executed = (record: ApprovalRecord): ToolResult => ({ ok: true, data: { approval: record, result: record.result } });

export function createApprovalsApi(deps: {
  store: ApprovalStore;
  clock: () => number;
  newId: () => string;
  execute: ExecuteApproved;
  onError?: (error: unknown) => void;
}): ApprovalsApi {
  const { store, clock } = deps;
  const missing = () => fail(errors.notFound('approval'));
  /** The approver as a validated run context, or the structured refusal to return. */
  const approverOf = (input: RunContext): { approver: RunContext } | { refused: ToolResult } => {
    const parsed = runContextSchema.safeParse(input);
    return parsed.success
      ? { approver: parsed.data }
      : { refused: fail(errors.approverNotAllowed('invalid_context')) };
  };

  async function run(record: ApprovalRecord): Promise<ToolResult> {
    const executionId = deps.newId();
    const outcome = await deps.execute(record, executionId);
    const latest = (await store.get(record.id)) ?? record;
    const ranHere = latest.executionId === executionId;
    if (latest.status === 'executed' && (outcome.ok || !ranHere || store.transactional)) return executed(latest);
    if (outcome.ok) return outcome;
    // This execution did not commit. Close the request as failed, unless someone else decided it meanwhile;
    // a non-transactional store may still show this execution's own `executing` mark: undo it.
    const open = latest.status === 'approved' || (ranHere && latest.status === 'executing');
    if (open) await store.update(record.id, latest.version, { status: 'failed', error: outcome.error, result: null, executedAt: clock() });
    return open || latest.status === 'failed' ? outcome : closed(latest);
  }

  async function approve(id: string, approverInput: RunContext, note?: string, attempt = 0): Promise<ToolResult> {
    const checked = approverOf(approverInput);
    if ('refused' in checked) return checked.refused;
    const { approver } = checked;
    const record = await readApproval(store, id, clock());
    if (!record || otherTenants(record, approver)) return missing();
    // Checked before the status answers, which carry the request and its result.
    const refused = checkApprover(record, approver);
    if (refused) return refused;
    if (record.status === 'executed') return executed(record);
    if (record.status !== 'pending' && record.status !== 'approved') return closed(record);
    if (record.status === 'approved') return run(record);

    const now = clock();
    const roles = new Set(approver.roles ?? []);
    const approvals = record.approvals.map((a) =>
      !a.approvedBy && a.approverRoles.some((r) => roles.has(r)) ? { ...a, approvedBy: approver.userId, approvedAt: now } : a,
    );
    const complete = approvals.every((a) => a.approvedBy);
    const patch = { approvals, ...(complete ? { status: 'approved' as const, decidedBy: approver.userId, decidedAt: now, ...(note ? { decisionNote: note } : {}) } : {}) };
    if (!(await store.update(id, record.version, patch))) {
      return attempt < 5 ? approve(id, approver, note, attempt + 1) : fail(errors.approvalNotPending('contended'));
    }
    const updated = { ...record, ...patch, version: record.version + 1 };
    if (!complete) return { ok: true, data: { approval: updated, waitingFor: approvals.filter((a) => !a.approvedBy).map((a) => a.rule) } };
    return run(updated);
  }

  /** The host API answers with envelopes, never throws: a bad id or a store outage is a structured error. */
  const guarded =
    <A extends unknown[]>(fn: (id: string, ...rest: A) => Promise<ToolResult>) =>
    async (id: unknown, ...rest: A): Promise<ToolResult> => {
      if (typeof id !== 'string' || id.length > 100) return missing();
      try {
        return await fn(id, ...rest);
      } catch (error) {
        deps.onError?.(error);
        return { ok: false, error: errors.internal().toJSON() };
      }
    };

  return {
    get: (id) => (typeof id === 'string' ? readApproval(store, id, clock()) : Promise.resolve(null)),
    async list(filter = {}) {
      const records = await store.list(filter);
      const now = clock();
      const current = await Promise.all(records.map((r) => expireIfDue(store, r, now)));
      return filter.status ? current.filter((r) => r.status === filter.status) : current;
    },
    approve: guarded((id, approver: RunContext, note?: string) => approve(id, approver, note)),
    deny: guarded(async (id, approverInput: RunContext, why: string) => {
      const checked = approverOf(approverInput);
      if ('refused' in checked) return checked.refused;
      const record = await readApproval(store, id, clock());
      if (!record || otherTenants(record, checked.approver)) return missing();
      const refused = checkApprover(record, checked.approver);
      if (refused) return refused;
      // An approved request that has not run yet can still be stopped.
      if (record.status !== 'pending' && record.status !== 'approved') return closed(record);
      const patch = { status: 'denied' as const, decidedBy: checked.approver.userId, decidedAt: clock(), decisionNote: why };
      if (!(await store.update(id, record.version, patch))) return closed((await store.get(id)) ?? record);
      return { ok: true, data: { approval: { ...record, ...patch, version: record.version + 1 } } };
    }),
    async sweep() {
      const now = clock();
      const open = [...(await store.list({ status: 'pending' })), ...(await store.list({ status: 'approved' }))];
      const expired = await Promise.all(open.map(async (r) => (await expireIfDue(store, r, now)).status === 'expired'));
      return { expired: expired.filter(Boolean).length };
    },
  };
}
