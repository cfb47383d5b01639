import { randomUUID } from 'node:crypto';
import { payloadDigestOf, type AuditEnvelope, type AuditPayload, type AuditRecord } from '@ormai/core';

export type RecordOverrides = Partial<Omit<AuditEnvelope, 'payloadDigest'>> & Partial<AuditPayload>;

let clock = Date.UTC(2026, 0, 1);

/** A valid core AuditRecord (its payload digest matches), one millisecond after the previous one unless `at` is given. */
export function auditRecord(overrides: RecordOverrides = {}): AuditRecord {
  const { input = { model: 'Order', where: { field: 'status', op: 'eq', value: 'open' } }, reason = null, subjects = [], ...envelope } = overrides;
  const payload: AuditPayload = { input, reason, subjects };
  clock += 1;
  return {
    id: randomUUID(),
    at: clock,
    durationMs: 12,
    action: 'db_query',
    tenantId: 'acme',
    userId: 'u1',
    roles: ['support'],
    sessionId: 's1',
    requestId: null,
    traceId: null,
    spanId: null,
    toolCallId: null,
    runId: null,
    policyHash: 'p'.repeat(64),
    version: '0.1.0',
    decision: 'allowed',
    model: 'Order',
    inputHmac: 'h'.repeat(64),
    rowsReturned: 3,
    rowsAffected: null,
    approvalId: null,
    approvers: [],
    ...envelope,
    payload,
    subjectCount: payload.subjects.length,
    payloadDigest: payloadDigestOf(payload),
  };
}

export const auditRecords = (count: number, overrides: RecordOverrides = {}): AuditRecord[] => Array.from({ length: count }, () => auditRecord(overrides));
