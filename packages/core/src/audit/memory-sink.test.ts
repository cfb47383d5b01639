import { describe, expect, it } from 'vitest';
import type { AuditRecord, SubjectRef } from '../spec/audit.js';
import { auditRecord, PERSONAL } from '../test-support/audit-records.js';
import { MemoryAuditSink } from './memory-sink.js';
import { fromStoredRecord, payloadDigestOf, toStoredRecord } from './stored-record.js';

const JANE: SubjectRef = { model: 'Customer', id: '42' };
const BOB: SubjectRef = { model: 'Customer', id: '7' };

/** A record of a call that returned both Jane's and Bob's rows (Jane's personal strings in its payload). */
function recordOfBoth(): AuditRecord {
  const record = auditRecord();
  const payload = { ...record.payload, subjects: [JANE, BOB] };
  return { ...record, payload, subjectCount: payload.subjects.length, payloadDigest: payloadDigestOf(payload) };
}

const withErasedPayload = (record: AuditRecord): AuditRecord => fromStoredRecord({ ...toStoredRecord(record), payload: null });

describe('MemoryAuditSink subject access and erasure', () => {
  it('keeps other subjects\' index when one subject is erased', async () => {
    const sink = new MemoryAuditSink();
    const jane = auditRecord();
    const bob = auditRecord({ subjectId: '7' });
    const both = recordOfBoth();
    const nobody = auditRecord({ subjectId: '99' });
    await sink.write([jane, bob]);
    await sink.write([both, nobody]);

    expect(await sink.subjectAccess(JANE)).toEqual([jane, both]);
    expect(await sink.subjectAccess(BOB)).toEqual([bob, both]);
    expect(await sink.eraseSubject(JANE)).toBe(2);

    expect(JSON.stringify(sink.all())).not.toContain(PERSONAL.email);
    expect(await sink.subjectAccess(JANE)).toEqual([]);
    // The shared record still answers Bob's request, its payload erased.
    expect(await sink.subjectAccess(BOB)).toEqual([bob, withErasedPayload(both)]);
    expect(await sink.subjectAccess({ model: 'Customer', id: '99' })).toEqual([nobody]);
    expect(sink.verify()).toMatchObject({ ok: true, count: 4 });

    expect(await sink.eraseSubject(JANE)).toBe(0);
    expect(await sink.eraseSubject(BOB)).toBe(2);
    expect(await sink.subjectAccess(BOB)).toEqual([]);
    const erased = withErasedPayload(jane).payload;
    expect(sink.all().map((r) => r.payload)).toEqual([erased, erased, erased, nobody.payload]);
    expect(sink.verify()).toMatchObject({ ok: true, count: 4 });
  });
});

describe('MemoryAuditSink writes', () => {
  it('skips ids it already holds, in a later batch or twice in one (as the SQL sink does): the first copy stands', async () => {
    const sink = new MemoryAuditSink();
    const [first, second] = [auditRecord(), auditRecord()];
    await sink.write([first]);
    await sink.write([{ ...first, decision: 'audit_unavailable' }, second, second]);
    await sink.write([second]);
    expect(sink.all()).toEqual([first, second]);
    expect(sink.verify()).toMatchObject({ ok: true, count: 2 });
  });
});
