import { describe, expect, it } from 'vitest';
import { hmacHex, randomKey } from '../crypto.js';
import type { AuditRecord } from '../spec/audit.js';
import { auditRecords, IDENTIFIERS, PERSONAL } from '../test-support/audit-records.js';
import { EventStreamSinkConfigError, eventStreamSink } from './event-stream-sink.js';
import { payloadDigestOf } from './stored-record.js';

/** The receiving end: what went over the wire, as JSON. */
function receiver() {
  const sent: string[] = [];
  return { sent, send: async (records: AuditRecord[]) => void sent.push(JSON.stringify(records)), received: () => sent.flatMap((b) => JSON.parse(b) as AuditRecord[]) };
}

const clearIds = [IDENTIFIERS.tenantId, IDENTIFIERS.userId, IDENTIFIERS.sessionId, IDENTIFIERS.approver];

describe('eventStreamSink', () => {
  it('sends each batch as it is written, identifiers in clear when asked', async () => {
    const wire = receiver();
    const sink = eventStreamSink(wire.send, { identifiers: 'clear', name: 'siem' });
    const records = auditRecords(3);
    await sink.write(records.slice(0, 1));
    await sink.write(records.slice(1));
    expect(sink.name).toBe('siem');
    expect(wire.sent).toHaveLength(2);
    expect(wire.received()).toEqual(records);
  });

  it('hashes tenant, user, session, approver and subject ids with the key (the default when a key is given)', async () => {
    const key = randomKey();
    const wire = receiver();
    const records = auditRecords(2);
    await eventStreamSink(wire.send, { key }).write(records);
    const text = wire.sent.join('');
    for (const id of clearIds) expect(text).not.toContain(id);
    expect(text).not.toContain('"42"');
    const [first] = wire.received();
    expect(first).toMatchObject({
      id: records[0]!.id,
      tenantId: hmacHex(key, IDENTIFIERS.tenantId),
      userId: hmacHex(key, IDENTIFIERS.userId),
      sessionId: hmacHex(key, IDENTIFIERS.sessionId),
      approvers: [hmacHex(key, IDENTIFIERS.approver)],
      roles: ['support'],
      payload: { subjects: [{ model: 'Customer', id: hmacHex(key, '42') }], reason: records[0]!.payload.reason },
    });
    // The digest covers the payload as sent, not the original (which would confirm a guessed subject id).
    expect(first!.payloadDigest).toBe(payloadDigestOf(first!.payload));
    expect(first!.payloadDigest).not.toBe(records[0]!.payloadDigest);
    // The caller's records are untouched.
    expect(records[0]!.tenantId).toBe(IDENTIFIERS.tenantId);
  });

  it('omits identifiers and subjects when asked', async () => {
    const wire = receiver();
    await eventStreamSink(wire.send, { identifiers: 'omitted' }).write(auditRecords(1));
    const text = wire.sent.join('');
    for (const id of clearIds) expect(text).not.toContain(id);
    expect(text).not.toContain('"42"');
    expect(text).toContain(PERSONAL.email); // the sanitized input still travels
    expect(wire.received()[0]).toMatchObject({ tenantId: null, userId: null, sessionId: null, approvers: [], payload: { subjects: [] } });
  });

  it('refuses to guess what may leave the process', () => {
    const send = async () => {};
    expect(() => eventStreamSink(send)).toThrow(EventStreamSinkConfigError);
    expect(() => eventStreamSink(send, { identifiers: 'hashed' })).toThrow(/needs a `key`/);
  });

  it('rejects when send rejects, so the queue keeps the batch', async () => {
    const sink = eventStreamSink(() => Promise.reject(new Error('broker down')), { identifiers: 'omitted' });
    await expect(sink.write(auditRecords(1))).rejects.toThrow('broker down');
  });
});
