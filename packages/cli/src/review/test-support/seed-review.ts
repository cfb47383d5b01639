import type { AuditRecord } from '@ormai/core';
import type { SequelizeAuditSink } from '@ormai/sequelize';
import { auditRecord, type RecordOverrides } from '../../audit/test-support/records.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MIN = 60_000;

export const OLD_POLICY_HASH = 'a'.repeat(64);

/**
 * A quarter of audit records for the review, relative to `now`: denials, slow calls, writes with good and
 * weak reasons (one erased, one holding markup), approvals decided in and out of SLA (the shop policy's
 * refund rule: 1 hour), and a policy change 30 days ago.
 */
export function reviewRecords(now: number, currentPolicyHash: string): Record<string, AuditRecord> {
  const record = (daysAgo: number, overrides: Omit<RecordOverrides, 'at'> = {}, offsetMs = 0) =>
    auditRecord({ policyHash: daysAgo > 30 ? OLD_POLICY_HASH : currentPolicyHash, ...overrides, at: now - daysAgo * DAY + offsetMs });
  const write = (daysAgo: number, reason: string | null, overrides: Omit<RecordOverrides, 'at'> = {}, offsetMs = 0) =>
    record(daysAgo, { action: 'db_update', model: 'Customer', rowsReturned: null, rowsAffected: 1, reason, ...overrides }, offsetMs);
  const refundReason = (approvalId: string) => `Refund order ${approvalId}: parcel lost in transit`;
  const request = (approvalId: string, daysAgo: number, offsetMs = 0) =>
    write(daysAgo, refundReason(approvalId), { model: 'Order', decision: 'approval_required', rowsAffected: null, approvalId }, offsetMs);
  const approval = (approvalId: string, action: string, daysAgo: number, offsetMs: number, overrides: Omit<RecordOverrides, 'at'> = {}) =>
    record(daysAgo, { action, model: 'Order', userId: 'finance-1', roles: ['finance'], rowsReturned: null, approvalId, ...overrides }, offsetMs);
  // The execution is a write of the requester's, with the request's reason.
  const execute = (approvalId: string, daysAgo: number, offsetMs: number) =>
    approval(approvalId, 'approvals.execute', daysAgo, offsetMs, { userId: 'agent-7', roles: ['support'], rowsAffected: 1, reason: refundReason(approvalId) });

  const seed: Record<string, AuditRecord> = {
    outside: record(120, { decision: 'field_not_allowed', userId: 'u9' }),
    read1: record(80, { durationMs: 2_500, action: 'db_aggregate' }),
    read2: record(10, { durationMs: 5_000, model: 'Customer', userId: 'u2' }),
    read3: record(2, { durationMs: 900 }),
    denied1: record(60, { decision: 'field_not_allowed', model: 'Customer', rowsReturned: null }),
    denied2: record(20, { decision: 'field_not_allowed', model: 'Customer', rowsReturned: null }),
    denied3: record(15, { decision: 'field_not_allowed', model: 'Customer', userId: 'u3', tenantId: 'globex', rowsReturned: null }),
    crossTenant: record(12, { decision: 'tenant_mismatch', userId: 'u2', rowsReturned: null }),
    scan: record(5, { decision: 'scan_budget_exceeded', rowsReturned: null, durationMs: 1_200 }),
    fix: write(40, 'fix'),
    empty: write(35, null),
    city1: write(25, 'Customer asked to change the delivery city'),
    city2: write(24, 'Customer asked to change the delivery city'),
    city3: write(23, 'Customer asked to change the delivery city'),
    good: write(22, 'Customer 41 moved to Lyon, confirmed by phone (ticket 8812)'),
    markup: write(21, '<script>document.title="pwned"</script> corrected the name'),
    erased: write(20, 'Jane Doe asked to fix her surname', { subjects: [{ model: 'Customer', id: '42' }] }),
    fastRequest: request('apr_fast', 9),
    fastApprove: approval('apr_fast', 'approvals.approve', 9, 20 * MIN),
    fastExecute: execute('apr_fast', 9, 20 * MIN + 1),
    slowRequest: request('apr_slow', 8),
    slowApprove: approval('apr_slow', 'approvals.approve', 8, 3 * HOUR),
    slowExecute: execute('apr_slow', 8, 3 * HOUR + 1),
    deniedRequest: request('apr_denied', 7),
    deny: approval('apr_denied', 'approvals.deny', 7, 10 * MIN),
    expiredRequest: request('apr_expired', 6),
    expire: approval('apr_expired', 'approvals.expire', 6, HOUR, { userId: 'ormai:system', roles: [] }),
    overdueRequest: request('apr_overdue', 0, -5 * HOUR),
    openRequest: request('apr_open', 0, -10 * MIN),
  };
  return seed;
}

/** Writes and seals the records through the sink, then erases subject Customer 42 (the `erased` write's). */
export async function writeReviewRecords(sink: SequelizeAuditSink, records: Record<string, AuditRecord>): Promise<void> {
  await sink.write(Object.values(records));
  await sink.sealAll();
  await sink.eraseSubject({ model: 'Customer', id: '42' });
}
