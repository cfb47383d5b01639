import { describe, expect, it } from 'vitest';
import type { AuditRecord, AuditWriteOptions } from '../spec/audit.js';
import { auditRecords } from '../test-support/audit-records.js';
import { MemoryAuditSink } from './memory-sink.js';
import { TeeSinkError, teeSink } from './tee-sink.js';

/** A memory sink that joins one transaction and remembers what each write was given. */
class JoiningSink extends MemoryAuditSink {
  readonly calls: Array<AuditWriteOptions | undefined> = [];
  constructor(readonly joins: unknown) {
    super();
  }
  canJoin(transaction: unknown) {
    return transaction === this.joins;
  }
  override async write(records: readonly AuditRecord[], options?: AuditWriteOptions) {
    this.calls.push(options);
    await super.write(records);
  }
}

const ids = (sink: MemoryAuditSink) => sink.all().map((r) => r.id);

describe('teeSink', () => {
  it('writes every record to every member, each member sealing its own chain', async () => {
    const [a, b] = [new MemoryAuditSink(), new MemoryAuditSink()];
    const tee = teeSink(a, b);
    const records = auditRecords(5);
    await tee.write(records.slice(0, 2));
    await tee.write(records.slice(2));
    expect(ids(a)).toEqual(records.map((r) => r.id));
    expect(ids(b)).toEqual(records.map((r) => r.id));
    expect(a.verify()).toMatchObject({ ok: true, count: 5 });
    expect(b.verify()).toMatchObject({ ok: true, count: 5 });
    expect(tee.name).toBe('tee(memory,memory)');
  });

  it('rejects when one member fails, and the retry gives the members that succeeded no duplicate', async () => {
    const [a, b] = [new MemoryAuditSink(), new MemoryAuditSink()];
    const tee = teeSink(a, b);
    b.failWith = new Error('disk full');
    const records = auditRecords(3);
    const failure = await tee.write(records).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TeeSinkError);
    expect((failure as TeeSinkError).failures).toEqual([{ sink: 'memory', error: b.failWith }]);
    expect(ids(a)).toEqual(records.map((r) => r.id));
    expect(ids(b)).toEqual([]);

    b.failWith = null;
    const more = auditRecords(1);
    await tee.write([...records, ...more]); // the queue retries from its head, with what arrived since
    expect(ids(a)).toEqual([...records, ...more].map((r) => r.id));
    expect(ids(b)).toEqual([...records, ...more].map((r) => r.id));

    await tee.write(records.slice(0, 1)); // a record the members hold is not written twice
    expect(ids(a)).toHaveLength(4);
    expect(ids(b)).toHaveLength(4);
  });

  it("verifies every member's chain and answers the first broken one", async () => {
    const [a, b] = [new MemoryAuditSink(), new MemoryAuditSink()];
    const tee = teeSink(a, b);
    await tee.write(auditRecords(4));
    expect(await tee.verify!()).toMatchObject({ ok: true, count: 4 });
    const third = b.links[2]!;
    b.records.set(third.recordId, { ...b.records.get(third.recordId)!, envelope: b.records.get(third.recordId)!.envelope.replace('"allowed"', '"denied"') });
    expect(await tee.verify!()).toMatchObject({ ok: false, seq: 3, problem: 'digest_mismatch' });
  });

  it('passes the transaction only to the members that can join it', async () => {
    const transaction = { id: 'tx-1' };
    const joining = new JoiningSink(transaction);
    const other = new JoiningSink({ id: 'another' });
    const tee = teeSink(joining, other);
    expect(tee.canJoin!(transaction)).toBe(true);
    expect(tee.canJoin!({ id: 'unknown' })).toBe(false);
    expect(teeSink(new MemoryAuditSink()).canJoin!(transaction)).toBe(false);

    await tee.write(auditRecords(1), { transaction });
    expect(joining.calls).toEqual([{ transaction }]);
    // The other member gets the record only once the write's outcome is known (the final record).
    expect(other.calls).toEqual([]);
    expect(tee.wantsFinalRecord).toBe(true);
    expect(teeSink(joining).wantsFinalRecord).toBe(false);
  });

  it("a committed write's final record goes to the members that did not join, a rolled-back one's to every member", async () => {
    const transaction = { id: 'tx-2' };
    const sql = new JoiningSink(transaction);
    const [stream, memory] = [new MemoryAuditSink(), new MemoryAuditSink()];
    const tee = teeSink(sql, stream, memory);
    const [committed, rolledBack] = auditRecords(2);
    await tee.write([committed!], { transaction });
    await tee.write([rolledBack!], { transaction });
    // The second write's transaction rolled back: its joined copy is gone.
    sql.records.delete(rolledBack!.id);
    sql.links.pop();
    const failed: AuditRecord = { ...rolledBack!, decision: 'audit_unavailable', rowsAffected: null };
    await tee.write([committed!, failed]);
    for (const sink of [sql, stream, memory]) expect(sink.all().map((r) => [r.id, r.decision])).toEqual([[committed!.id, 'allowed'], [failed.id, 'audit_unavailable']]);
    expect(sql.calls).toEqual([{ transaction }, { transaction }, undefined]);
    expect(sql.verify()).toMatchObject({ ok: true, count: 2 });
  });

  it('a final record whose batch failed on one member is retried without duplicates and still skips the joined member', async () => {
    const transaction = { id: 'tx-3' };
    const sql = new JoiningSink(transaction);
    const stream = new MemoryAuditSink();
    const tee = teeSink(sql, stream);
    const [record] = auditRecords(1);
    await tee.write([record!], { transaction });
    stream.failWith = new Error('broker down');
    await expect(tee.write([record!])).rejects.toThrow(TeeSinkError);
    stream.failWith = null;
    await tee.write([record!]);
    expect(ids(stream)).toEqual([record!.id]);
    expect(sql.calls).toEqual([{ transaction }]);
  });

  it('reads subjects from the first member, erases on all and reports the largest count', async () => {
    const [a, b] = [new MemoryAuditSink(), new MemoryAuditSink()];
    const tee = teeSink(a, b);
    await tee.write(auditRecords(2));
    await b.write(auditRecords(1)); // b holds one more record of the subject
    await tee.write(auditRecords(1, { subjectId: '7' }));
    expect((await tee.subjectAccess!({ model: 'Customer', id: '42' })).map((r) => r.id)).toEqual(ids(a).slice(0, 2));
    expect(await tee.eraseSubject!({ model: 'Customer', id: '42' })).toBe(3);
    expect(await a.subjectAccess({ model: 'Customer', id: '42' })).toEqual([]);
    expect(await b.subjectAccess({ model: 'Customer', id: '42' })).toEqual([]);
    expect(await b.subjectAccess({ model: 'Customer', id: '7' })).toHaveLength(1);
    expect(b.verify()).toMatchObject({ ok: true, count: 4 });
  });

  it('offers subject access and erasure only when a member has them, and closes every member', async () => {
    const events = teeSink({ name: 'events', write: async () => {} });
    expect(events.subjectAccess).toBeUndefined();
    expect(events.eraseSubject).toBeUndefined();

    const closed: string[] = [];
    const closing = (name: string) => ({ name, write: async () => {}, close: async () => void closed.push(name) });
    const failing = { name: 'broken', write: async () => {}, close: async () => Promise.reject(new Error('stuck')) };
    await expect(teeSink(closing('a'), failing, closing('b')).close!()).rejects.toThrow(/broken failed: stuck/);
    expect(closed).toEqual(['a', 'b']);
  });
});
