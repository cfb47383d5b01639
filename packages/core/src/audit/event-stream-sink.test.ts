import { describe, expect, it } from 'vitest';
import { hmacHex, randomKey } from '../crypto.js';
import type { AuditRecord } from '../spec/audit.js';
import { auditRecords, IDENTIFIERS, PERSONAL } from '../test-support/audit-records.js';
import { EventStreamSinkConfigError, eventStreamSink, OMITTED_INPUT } from './event-stream-sink.js';
import { payloadDigestOf } from './stored-record.js';

/** The receiving end: what went over the wire, as JSON. */
function receiver() {
  const sent: string[] = [];
  return { sent, send: async (records: AuditRecord[]) => void sent.push(JSON.stringify(records)), received: () => sent.flatMap((b) => JSON.parse(b) as AuditRecord[]) };
}

const clearIds = [IDENTIFIERS.tenantId, IDENTIFIERS.userId, IDENTIFIERS.sessionId, IDENTIFIERS.approver];

/** What a call through the AI SDK tools carries: a request id, a run id built from tenant, user and session, a filter on a customer id. */
const CALL = { requestId: 'req-7f3a-private', customerId: 90817, customer: 'Jane Doe-Whitfield' } as const;
function callRecord(): AuditRecord {
  const record = auditRecords(1)[0]!;
  const payload = {
    input: { model: 'Order', where: { and: [{ field: 'customerId', op: 'eq', value: CALL.customerId }, { field: 'note', op: 'contains', value: CALL.customer }] } },
    reason: `${CALL.customer} (customer ${CALL.customerId}) asked for a refund`,
    subjects: [{ model: 'Customer', id: String(CALL.customerId) }],
  };
  return {
    ...record,
    requestId: CALL.requestId,
    runId: `${JSON.stringify([IDENTIFIERS.tenantId, IDENTIFIERS.userId])}:session:${IDENTIFIERS.sessionId}`,
    payload,
    subjectCount: 1,
    payloadDigest: payloadDigestOf(payload),
  };
}
const FIXED_KEY = new Uint8Array(32).fill(7);
const leaks = [...clearIds, CALL.requestId, CALL.customer, String(CALL.customerId)];

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
      payload: { input: OMITTED_INPUT, reason: null, subjects: [{ model: 'Customer', id: hmacHex(key, '42') }] },
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
    expect(text).not.toContain(PERSONAL.email);
    expect(wire.received()[0]).toMatchObject({ tenantId: null, userId: null, sessionId: null, approvers: [], payload: { input: OMITTED_INPUT, reason: null, subjects: [] } });
  });

  for (const identifiers of ['hashed', 'omitted'] as const) {
    it(`identifiers ${identifiers}: no tenant, user, session, request id, customer name or filtered id in what is sent`, async () => {
      const key = FIXED_KEY; // fixed, so no hash can contain a leak by chance
      const wire = receiver();
      const record = callRecord();
      await eventStreamSink(wire.send, { identifiers, key }).write([record]);
      const text = wire.sent.join('');
      for (const leak of leaks) expect(text).not.toContain(leak);
      const [sent] = wire.received();
      expect(sent).toMatchObject(
        identifiers === 'hashed'
          ? { requestId: hmacHex(key, record.requestId!), runId: hmacHex(key, record.runId!), subjectCount: 1 }
          : { requestId: null, runId: null, subjectCount: 0 },
      );
      expect(sent!.payload).toMatchObject({ input: OMITTED_INPUT, reason: null });
      expect(sent!.payloadDigest).toBe(payloadDigestOf(sent!.payload));
    });
  }

  it('sends the sanitized input and reason only when asked (the default with identifiers in clear)', async () => {
    const key = randomKey();
    const asked = receiver();
    await eventStreamSink(asked.send, { key, payload: 'sanitized' }).write([callRecord()]);
    const [sent] = asked.received();
    expect(sent!.payload.input).toEqual(callRecord().payload.input);
    expect(sent!.payload.reason).toContain(CALL.customer);
    expect(sent!.runId).toBe(hmacHex(key, callRecord().runId!));

    const clear = receiver();
    const record = callRecord();
    await eventStreamSink(clear.send, { identifiers: 'clear' }).write([record]);
    expect(clear.received()).toEqual([record]);

    const clearIdsOnly = receiver();
    await eventStreamSink(clearIdsOnly.send, { identifiers: 'clear', payload: 'omitted' }).write([record]);
    const [bare] = clearIdsOnly.received();
    expect(bare).toMatchObject({ tenantId: IDENTIFIERS.tenantId, runId: record.runId, payload: { input: OMITTED_INPUT, reason: null, subjects: record.payload.subjects } });
    expect(JSON.stringify(bare!.payload)).not.toContain(CALL.customer);
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
