import { describe, expect, it } from 'vitest';
import { definePolicy, DEFAULT_PROD } from '@ormai/core';
import { approvalTurnaround, slaFor, summarizeApprovals, type ApprovalEventRecord, type ApprovalRequestRecord } from './approvals.js';

const HOUR = 3_600_000;
const MIN = 60_000;

const policy = definePolicy({
  profile: DEFAULT_PROD,
  tenantScope: { field: 'tenantId' },
  models: {
    Order: {
      write: {
        update: true, bulkUpdate: true, writableFields: ['status', 'total'], requireReason: true,
        approvals: [
          { name: 'refund', operations: ['update', 'bulk_update'], fieldsChanged: ['status'], approverRoles: ['finance'], slaMs: HOUR },
          { name: 'big', operations: ['bulk_update'], approverRoles: ['cfo'], slaMs: 15 * MIN },
        ],
      },
    },
    Customer: {},
  },
});

describe('approval turnaround', () => {
  it('reads the SLA from the policy: the strictest rule that can gate the operation', () => {
    expect(slaFor(policy, 'Order', 'update')).toBe(HOUR);
    expect(slaFor(policy, 'Order', 'bulk_update')).toBe(15 * MIN);
    expect(slaFor(policy, 'Customer', 'update')).toBeNull();
    expect(slaFor(policy, 'Gone', 'update')).toBeNull();
  });

  it('times each request to its decision and judges it against the SLA', () => {
    const t0 = Date.UTC(2026, 2, 1);
    const now = t0 + 10 * HOUR;
    const request = (approvalId: string, at: number, action = 'db_update'): ApprovalRequestRecord => ({ approvalId, at, action, model: 'Order', tenantId: 'acme', userId: 'agent' });
    const event = (approvalId: string, action: ApprovalEventRecord['action'], at: number, decision = 'allowed'): ApprovalEventRecord => ({ approvalId, action, at, decision });
    const requests = [
      request('fast', t0), request('two-step', t0 + 1), request('slow', t0 + 2), request('denied', t0 + 3), request('expired', t0 + 4),
      request('failed', t0 + 5, 'db_bulk_update'), request('open', now - 5 * MIN), request('overdue', now - 2 * HOUR),
    ];
    const events = [
      event('fast', 'approvals.approve', t0 + 20 * MIN), event('fast', 'approvals.execute', t0 + 20 * MIN),
      // A refused approve (not an approver) does not decide; the second approver completes it.
      event('two-step', 'approvals.approve', t0 + 1 + 5 * MIN, 'approver_not_allowed'), event('two-step', 'approvals.approve', t0 + 1 + 10 * MIN),
      event('two-step', 'approvals.approve', t0 + 1 + 30 * MIN), event('two-step', 'approvals.execute', t0 + 1 + 30 * MIN),
      event('slow', 'approvals.approve', t0 + 2 + 3 * HOUR), event('slow', 'approvals.execute', t0 + 2 + 3 * HOUR),
      event('denied', 'approvals.deny', t0 + 3 + 10 * MIN),
      event('expired', 'approvals.expire', t0 + 4 + HOUR),
      event('failed', 'approvals.approve', t0 + 5 + 10 * MIN), event('failed', 'approvals.execute', t0 + 5 + 10 * MIN, 'approval_stale'),
    ];
    const rows = approvalTurnaround(policy, requests, [...events].reverse(), now);
    expect(rows.map((r) => [r.approvalId, r.outcome, r.turnaroundMs, r.slaMs, r.withinSla])).toEqual([
      ['fast', 'executed', 20 * MIN, HOUR, true],
      ['two-step', 'executed', 30 * MIN, HOUR, true],
      ['slow', 'executed', 3 * HOUR, HOUR, false],
      ['denied', 'denied', 10 * MIN, HOUR, true],
      ['expired', 'expired', HOUR, HOUR, false],
      ['failed', 'execution_failed', 10 * MIN, 15 * MIN, true],
      ['overdue', 'pending', null, HOUR, false],
      ['open', 'pending', null, HOUR, null],
    ]);
    expect(rows[0]).toMatchObject({ requestedAt: new Date(t0).toISOString(), decidedAt: new Date(t0 + 20 * MIN).toISOString(), operation: 'update', requestedBy: 'agent' });
    expect(summarizeApprovals(rows)).toEqual({ requests: 8, decided: 6, withinSla: 4, breached: 3, pending: 2, medianTurnaroundMs: 25 * MIN });
  });
});
