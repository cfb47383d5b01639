import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../policy/canonical-json.js';
import type { AuditRecord, StoredAuditRecord } from '../spec/audit.js';
import { auditRecord } from '../test-support/audit-records.js';
import { sealRecords, verifyAuditChain } from './chain.js';
import { payloadDigestOf, recordDigest, toStoredRecord } from './stored-record.js';

/** A record that named no subject (an aggregate, a refusal): its payload may still hold a reason. */
function recordWithoutSubject(): AuditRecord {
  const record = auditRecord();
  const payload = { ...record.payload, subjects: [] };
  return { ...record, payload, subjectCount: 0, payloadDigest: payloadDigestOf(payload) };
}

/** Seals the stored records into a chain and verifies it as a sink would. */
function verifyStored(stored: StoredAuditRecord[]) {
  const links = sealRecords(null, stored.map((r) => ({ recordId: r.id, digest: recordDigest(r) })));
  const byId = new Map(stored.map((r) => [r.id, r]));
  return verifyAuditChain({ links, record: (id) => byId.get(id) });
}

const cleared = (stored: StoredAuditRecord): StoredAuditRecord => ({ ...stored, payload: null });

describe('verifyAuditChain and cleared payloads', () => {
  it('accepts an erased payload on a record that named a subject', () => {
    const stored = [auditRecord(), auditRecord(), auditRecord()].map(toStoredRecord);
    expect(verifyStored([stored[0]!, cleared(stored[1]!), stored[2]!])).toMatchObject({ ok: true, count: 3 });
  });

  it('reports a cleared payload on a record that named no subject (a hidden reason) as payload_mismatch', () => {
    const stored = [auditRecord(), recordWithoutSubject(), auditRecord()].map(toStoredRecord);
    expect(verifyStored(stored)).toMatchObject({ ok: true, count: 3 });
    expect(verifyStored([stored[0]!, cleared(stored[1]!), stored[2]!])).toEqual({ ok: false, count: 1, seq: 2, problem: 'payload_mismatch' });
  });

  it('counts an envelope without subjectCount (an older record) as naming no subject', () => {
    const { subjectCount: _dropped, payload, ...envelope } = auditRecord();
    const older: StoredAuditRecord = { id: envelope.id, envelope: canonicalJson(envelope), payload: canonicalJson(payload) };
    expect(verifyStored([older])).toMatchObject({ ok: true, count: 1 });
    expect(verifyStored([cleared(older)])).toEqual({ ok: false, count: 0, seq: 1, problem: 'payload_mismatch' });
  });
});
