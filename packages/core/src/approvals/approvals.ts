import type { RunContext } from '../context.js';
import { OrmAIError } from '../errors.js';
import type { ToolResult } from '../create-ormai.js';
import type { ApprovalRecord, ApprovalStatus, ApprovalStore } from './approval-store.js';

/**
 * A pending approval past its SLA is expired (auto-denied) the moment anyone reads it: no background
 * timer has to be running, and a restarted process sees the same answer. `sweep()` does it in bulk.
 */
export async function expireIfDue(store: ApprovalStore, record: ApprovalRecord, now: number): Promise<ApprovalRecord> {
  if (record.status !== 'pending' || now < record.expiresAt) return record;
  const patch = { status: 'expired' as const, decidedAt: now, decisionNote: 'SLA elapsed without a decision' };
  if (await store.update(record.id, ['pending'], patch)) return { ...record, ...patch };
  return (await store.get(record.id)) ?? record;
}

export async function readApproval(store: ApprovalStore, id: string, now: number): Promise<ApprovalRecord | null> {
  const record = await store.get(id);
  return record ? expireIfDue(store, record, now) : null;
}

export interface ApprovalsApi {
  get(id: string): Promise<ApprovalRecord | null>;
  list(filter?: { status?: ApprovalStatus; tenantId?: string }): Promise<ApprovalRecord[]>;
  /** Approves and runs the stored write once, as its requester; approving an executed one returns its result again. */
  approve(id: string, approver: RunContext, note?: string): Promise<ToolResult>;
  deny(id: string, approver: RunContext, why: string): Promise<ToolResult>;
  /** Expires every pending approval past its SLA. */
  sweep(): Promise<{ expired: number }>;
}

const fail = (code: 'not_found' | 'approval_not_pending' | 'approver_not_allowed', message: string, suggestion: string, details = {}): ToolResult => ({
  ok: false,
  error: new OrmAIError({ code, message, retryable: false, suggestion, details }).toJSON(),
});

function checkApprover(record: ApprovalRecord, approver: RunContext): ToolResult | null {
  if (approver.userId === record.requestedBy) {
    return fail('approver_not_allowed', 'The requester cannot approve their own write.', 'Ask someone else with an approver role.');
  }
  if (!(approver.roles ?? []).some((role) => record.approverRoles.includes(role))) {
    return fail('approver_not_allowed', `Approving '${record.rule}' needs one of the roles: ${record.approverRoles.join(', ')}.`, 'Ask someone who holds one of them.', {
      approverRoles: record.approverRoles,
    });
  }
  return null;
}

const closed = (record: ApprovalRecord) =>
  fail('approval_not_pending', `Approval ${record.id} is ${record.status}.`, 'Only pending approvals can be decided.', { status: record.status });

export function createApprovalsApi(deps: {
  store: ApprovalStore;
  clock: () => number;
  /** Runs the stored write as its requester, closing the record inside the write's transaction. */
  execute(record: ApprovalRecord): Promise<ToolResult>;
}): ApprovalsApi {
  const { store, clock } = deps;
  const missing = () => fail('not_found', 'No such approval.', 'Check the approval id.');

  async function approve(id: string, approver: RunContext, note?: string): Promise<ToolResult> {
    const record = await readApproval(store, id, clock());
    if (!record) return missing();
    if (record.status === 'executed') return { ok: true, data: { approval: record, result: record.result } };
    const refused = checkApprover(record, approver);
    if (refused) return refused;
    if (record.status === 'pending') {
      const decided = { status: 'approved' as const, decidedBy: approver.userId, decidedAt: clock(), ...(note ? { decisionNote: note } : {}) };
      if (!(await store.update(id, ['pending'], decided))) return approve(id, approver, note); // decided concurrently: look again
      Object.assign(record, decided);
    }
    if (record.status !== 'approved') return closed(record);
    const outcome = await deps.execute(record);
    if (!outcome.ok && outcome.error.code !== 'internal_error') {
      await store.update(id, ['approved'], { status: 'failed', error: outcome.error });
    }
    const latest = (await store.get(id)) ?? record;
    if (latest.status === 'executed') return { ok: true, data: { approval: latest, result: latest.result } };
    return outcome.ok ? { ok: true, data: { approval: latest, result: outcome.data } } : outcome;
  }

  return {
    get: (id) => readApproval(store, id, clock()),
    async list(filter = {}) {
      const records = await store.list(filter);
      const now = clock();
      const current = await Promise.all(records.map((r) => expireIfDue(store, r, now)));
      return filter.status ? current.filter((r) => r.status === filter.status) : current;
    },
    approve,
    async deny(id, approver, why) {
      const record = await readApproval(store, id, clock());
      if (!record) return missing();
      const refused = checkApprover(record, approver);
      if (refused) return refused;
      const patch = { status: 'denied' as const, decidedBy: approver.userId, decidedAt: clock(), decisionNote: why };
      if (!(await store.update(id, ['pending'], patch))) return closed((await store.get(id)) ?? record);
      return { ok: true, data: { approval: { ...record, ...patch } } };
    },
    async sweep() {
      const now = clock();
      const pending = await store.list({ status: 'pending' });
      const expired = await Promise.all(pending.map(async (r) => (await expireIfDue(store, r, now)).status === 'expired'));
      return { expired: expired.filter(Boolean).length };
    },
  };
}
