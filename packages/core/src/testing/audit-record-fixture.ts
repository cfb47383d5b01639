import { payloadDigestOf } from '../audit/stored-record.js';
import { bytesToHex, randomKey } from '../crypto.js';
import type { AuditEnvelope, AuditPayload, AuditRecord } from '../spec/audit.js';

export type AuditRecordOverrides = Partial<Omit<AuditEnvelope, 'payloadDigest' | 'subjectCount'>> & Partial<AuditPayload>;

let clock = Date.UTC(2026, 0, 1);

/**
 * A valid `AuditRecord` (its digest and subject count match its payload) for testing a sink: an allowed
 * `db_query` of tenant `acme`'s user `u1`, one millisecond after the previous one, unless overridden.
 */
export function auditRecordFixture(overrides: AuditRecordOverrides = {}): AuditRecord {
  const { input = { model: 'Order', where: { field: 'status', op: 'eq', value: 'open' } }, reason = null, subjects = [], ...envelope } = overrides;
  const payload: AuditPayload = { input, reason, subjects };
  clock += 1;
  return {
    id: bytesToHex(randomKey()).slice(0, 32),
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
