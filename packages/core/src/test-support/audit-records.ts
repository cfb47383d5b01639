import { payloadDigestOf } from '../audit/stored-record.js';
import type { AuditPayload, AuditRecord } from '../spec/audit.js';

/** Personal strings the test records carry in their payload: after erasure, no file may contain them. */
export const PERSONAL = { email: 'jane.doe@example.test', name: 'Jane Doe-Whitfield' } as const;
export const IDENTIFIERS = { tenantId: 'tenant-acme-7731', userId: 'user-support-5512', sessionId: 'session-9f1c2e', approver: 'user-manager-8820' } as const;

let counter = 0;

/**
 * A valid record (its payload digest matches) about Customer 42, whose `PERSONAL` strings it carries;
 * about another customer with `subjectId`, carrying that customer's own strings.
 */
export function auditRecord(overrides: { subjectId?: string } = {}): AuditRecord {
  counter += 1;
  const subjectId = overrides.subjectId ?? '42';
  const person = subjectId === '42' ? PERSONAL : { email: `customer-${subjectId}@example.test`, name: `Customer ${subjectId}` };
  const payload: AuditPayload = {
    input: { model: 'Customer', where: { field: 'email', op: 'eq', value: person.email } },
    reason: `${person.name} asked for a refund`,
    subjects: [{ model: 'Customer', id: subjectId }],
  };
  return {
    id: `rec-${Date.now().toString(36)}-${counter}`,
    at: Date.now(),
    durationMs: 3,
    action: 'db_update',
    tenantId: IDENTIFIERS.tenantId,
    userId: IDENTIFIERS.userId,
    roles: ['support'],
    sessionId: IDENTIFIERS.sessionId,
    requestId: null,
    traceId: null,
    spanId: null,
    toolCallId: null,
    runId: null,
    policyHash: 'a'.repeat(64),
    version: '0.1.0',
    decision: 'allowed',
    model: 'Customer',
    inputHmac: 'b'.repeat(64),
    rowsReturned: null,
    rowsAffected: 1,
    approvalId: 'approval-1',
    approvers: [IDENTIFIERS.approver],
    payload,
    subjectCount: payload.subjects.length,
    payloadDigest: payloadDigestOf(payload),
  };
}

export const auditRecords = (n: number, overrides: { subjectId?: string } = {}): AuditRecord[] =>
  Array.from({ length: n }, () => auditRecord(overrides));
