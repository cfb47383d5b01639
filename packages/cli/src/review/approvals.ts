import type { Policy, WriteOperation } from '@ormai/core';

/** The record of a write that went pending (decision `approval_required`). */
export interface ApprovalRequestRecord {
  approvalId: string;
  at: number;
  action: string;
  model: string | null;
  tenantId: string | null;
  userId: string | null;
}

/** A record of the approvals API about a request: approve, deny, expire (the system), execute. */
export interface ApprovalEventRecord {
  approvalId: string;
  at: number;
  action: 'approvals.approve' | 'approvals.deny' | 'approvals.expire' | 'approvals.execute';
  decision: string;
}

export type ApprovalOutcome = 'executed' | 'execution_failed' | 'approved' | 'denied' | 'expired' | 'pending';

export interface ApprovalTurnaround {
  approvalId: string;
  requestedAt: string;
  model: string | null;
  operation: WriteOperation | null;
  requestedBy: string | null;
  tenantId: string | null;
  outcome: ApprovalOutcome;
  decidedAt: string | null;
  /** Request to decision; for a pending request, null. */
  turnaroundMs: number | null;
  /** From the policy's approval rules for the model and operation (the strictest when several apply); null when none does. */
  slaMs: number | null;
  /** Decided within the SLA; false too for a pending request past it; null while pending within it or without an SLA. */
  withinSla: boolean | null;
}

export interface ApprovalSummary {
  requests: number;
  decided: number;
  withinSla: number;
  breached: number;
  pending: number;
  medianTurnaroundMs: number | null;
}

export const APPROVAL_ACTIONS = ['approvals.approve', 'approvals.deny', 'approvals.expire', 'approvals.execute'] as const;

const OPERATION_OF: Record<string, WriteOperation> = { db_create: 'create', db_update: 'update', db_delete: 'delete', db_bulk_update: 'bulk_update' };

/** The SLA a request of this model and operation gets under `policy`: the least patient of the rules that can gate it. */
export function slaFor(policy: Policy, model: string | null, operation: WriteOperation | null): number | null {
  if (!model || !operation) return null;
  const rules = (policy.models[model]?.write?.approvals ?? []).filter((rule) => rule.operations.includes(operation));
  return rules.length ? Math.min(...rules.map((rule) => rule.slaMs)) : null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function decisionOf(events: readonly ApprovalEventRecord[]): { outcome: ApprovalOutcome; decidedAt: number | null } {
  const allowed = (action: ApprovalEventRecord['action']) => events.filter((e) => e.action === action && e.decision === 'allowed');
  const execute = events.find((e) => e.action === 'approvals.execute');
  const approves = allowed('approvals.approve');
  // An execution follows the approve that completed the request: that approve is the decision.
  const lastApprove = approves.length ? approves[approves.length - 1]! : null;
  if (execute) return { outcome: execute.decision === 'allowed' ? 'executed' : 'execution_failed', decidedAt: lastApprove?.at ?? execute.at };
  const deny = allowed('approvals.deny')[0];
  if (deny) return { outcome: 'denied', decidedAt: deny.at };
  const expire = events.find((e) => e.action === 'approvals.expire');
  if (expire) return { outcome: 'expired', decidedAt: expire.at };
  return { outcome: 'pending', decidedAt: null };
}

/** Each request's outcome and turnaround against its SLA, oldest request first; `now` judges pending ones. */
export function approvalTurnaround(
  policy: Policy,
  requests: readonly ApprovalRequestRecord[],
  events: readonly ApprovalEventRecord[],
  now: number,
): ApprovalTurnaround[] {
  const byApproval = new Map<string, ApprovalEventRecord[]>();
  for (const event of [...events].sort((x, y) => x.at - y.at)) {
    byApproval.set(event.approvalId, [...(byApproval.get(event.approvalId) ?? []), event]);
  }
  return [...requests]
    .sort((x, y) => x.at - y.at)
    .map((request) => {
      const operation = OPERATION_OF[request.action] ?? null;
      const slaMs = slaFor(policy, request.model, operation);
      const { outcome, decidedAt } = decisionOf(byApproval.get(request.approvalId) ?? []);
      const turnaroundMs = decidedAt === null ? null : decidedAt - request.at;
      let withinSla: boolean | null = null;
      if (outcome === 'expired') withinSla = false;
      else if (slaMs !== null && turnaroundMs !== null) withinSla = turnaroundMs <= slaMs;
      else if (slaMs !== null && now - request.at > slaMs) withinSla = false;
      return {
        approvalId: request.approvalId,
        requestedAt: iso(request.at)!,
        model: request.model,
        operation,
        requestedBy: request.userId,
        tenantId: request.tenantId,
        outcome,
        decidedAt: iso(decidedAt),
        turnaroundMs,
        slaMs,
        withinSla,
      };
    });
}

export function summarizeApprovals(requests: readonly ApprovalTurnaround[]): ApprovalSummary {
  const times = requests.flatMap((r) => (r.turnaroundMs === null ? [] : [r.turnaroundMs])).sort((x, y) => x - y);
  const middle = Math.floor(times.length / 2);
  const median = times.length === 0 ? null : times.length % 2 ? times[middle]! : (times[middle - 1]! + times[middle]!) / 2;
  return {
    requests: requests.length,
    decided: requests.filter((r) => r.outcome !== 'pending').length,
    withinSla: requests.filter((r) => r.withinSla === true).length,
    breached: requests.filter((r) => r.withinSla === false).length,
    pending: requests.filter((r) => r.outcome === 'pending').length,
    medianTurnaroundMs: median,
  };
}
