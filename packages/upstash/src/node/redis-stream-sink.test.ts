import { createHmac, randomBytes } from 'node:crypto';
import { payloadDigestOf, type AuditPayload, type AuditRecord } from '@ormai/core';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { closedPort, useRedis } from '../test-support/redis.js';
import { redisStreamAuditSink } from './redis-stream-sink.js';

const redisFixture = await useRedis('audit-stream');
const TENANT = 'tenant-acme-7731';
const USER = 'user-support-5512';

let counter = 0;
/** A valid record about Customer 42, with personal strings in its payload. */
function auditRecord(): AuditRecord {
  counter += 1;
  const payload: AuditPayload = { input: { where: { field: 'email', op: 'eq', value: 'jane.doe@example.test' } }, reason: 'Jane Doe asked for a refund', subjects: [{ model: 'Customer', id: '42' }] };
  return {
    id: `rec-${counter}`, at: Date.now(), durationMs: 2, action: 'db_update', tenantId: TENANT, userId: USER, roles: ['support'], sessionId: null,
    requestId: null, traceId: null, spanId: null, toolCallId: null, runId: null, policyHash: 'a'.repeat(64), version: '0.1.0', decision: 'allowed',
    model: 'Customer', inputHmac: 'b'.repeat(64), rowsReturned: null, rowsAffected: 1, approvalId: null, approvers: [], payload, subjectCount: payload.subjects.length, payloadDigest: payloadDigestOf(payload),
  };
}
const hmacHex = (key: Uint8Array, text: string) => createHmac('sha256', key).update(text).digest('hex');
const records = (n: number) => Array.from({ length: n }, auditRecord);

/** The stream's entries: each one field `record` holding JSON. */
async function readStream(stream: string) {
  const entries = await redisFixture.redis.xrange(stream, '-', '+');
  return entries.map(([, fields]) => {
    expect(fields[0]).toBe('record');
    return { text: fields[1]!, record: JSON.parse(fields[1]!) as AuditRecord };
  });
}

describe('redisStreamAuditSink', () => {
  it('adds one stream entry per record, batch after batch, identifiers hashed', async () => {
    const key = new Uint8Array(randomBytes(32));
    const stream = `${redisFixture.prefix}hashed`;
    const sink = redisStreamAuditSink(redisFixture.redis, { stream, identifiers: 'hashed', key });
    const written = records(5);
    await sink.write(written.slice(0, 3));
    await sink.write(written.slice(3));
    const entries = await readStream(stream);
    expect(entries.map((e) => e.record.id)).toEqual(written.map((r) => r.id));
    for (const { text, record } of entries) {
      expect(text).not.toContain(TENANT);
      expect(text).not.toContain(USER);
      expect(text).not.toContain('"42"');
      expect(record).toMatchObject({ tenantId: hmacHex(key, TENANT), userId: hmacHex(key, USER), payload: { subjects: [{ model: 'Customer', id: hmacHex(key, '42') }] } });
      expect(record.payloadDigest).toBe(payloadDigestOf(record.payload));
    }
    expect(sink.name).toBe('redis-stream');
  });

  it('keeps request and run ids and the payload out of the stream unless asked', async () => {
    const key = new Uint8Array(32).fill(9); // fixed, so no hash can contain a leak by chance
    const written = records(1).map((r) => ({ ...r, requestId: 'req-private-31', runId: `["${TENANT}","${USER}"]:session:sess-private-9d` }));
    for (const identifiers of ['hashed', 'omitted'] as const) {
      const stream = `${redisFixture.prefix}private-${identifiers}`;
      await redisStreamAuditSink(redisFixture.redis, { stream, identifiers, key }).write(written);
      const [entry] = await readStream(stream);
      for (const leak of [TENANT, USER, 'sess-private-9d', 'req-private-31', 'Jane Doe', 'jane.doe@example.test', '"42"']) expect(entry!.text).not.toContain(leak);
      expect(entry!.record.payload).toMatchObject({ input: '[omitted]', reason: null });
    }
    const stream = `${redisFixture.prefix}private-sanitized`;
    await redisStreamAuditSink(redisFixture.redis, { stream, identifiers: 'hashed', key, payload: 'sanitized' }).write(written);
    const [entry] = await readStream(stream);
    expect(entry!.record.payload.input).toEqual(written[0]!.payload.input);
    expect(entry!.record.runId).toBe(hmacHex(key, written[0]!.runId!));
  });

  it('sends records as they are with identifiers in clear', async () => {
    const stream = `${redisFixture.prefix}clear`;
    const written = records(2);
    await redisStreamAuditSink(redisFixture.redis, { stream, identifiers: 'clear' }).write(written);
    expect((await readStream(stream)).map((e) => e.record)).toEqual(written);
  });

  it('trims the stream to about maxLen entries', async () => {
    const stream = `${redisFixture.prefix}trimmed`;
    const sink = redisStreamAuditSink(redisFixture.redis, { stream, identifiers: 'omitted', maxLen: 100 });
    for (let i = 0; i < 5; i++) await sink.write(records(100));
    const length = await redisFixture.redis.xlen(stream);
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThan(500);
  });

  it('rejects when Redis is unreachable, so the queue keeps the batch', async () => {
    const down = new Redis({ host: '127.0.0.1', port: await closedPort(), lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    down.on('error', () => {});
    try {
      await expect(redisStreamAuditSink(down, { stream: `${redisFixture.prefix}down`, identifiers: 'omitted' }).write(records(1))).rejects.toThrow();
    } finally {
      down.disconnect();
    }
  });
});
