import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fromStoredRecord } from '@ormai/core';
import { auditRecord, auditRecords } from './test-support/records.js';
import { DIALECTS, openAuditDb, type AuditTestDb } from './test-support/harness.js';

describe.each(DIALECTS)('sequelizeAuditSink on %s', (dialect) => {
  let db: AuditTestDb;
  beforeAll(async () => {
    db = await openAuditDb(dialect);
  });
  afterAll(() => db?.close());

  const count = async (table: string, chain: string) =>
    Number((await db.rows<{ n: unknown }>(`SELECT count(*) AS n FROM ${db.table(table)} WHERE chain = $1`, [chain]))[0]!.n);
  const linkedIds = async (chain: string) =>
    (await db.rows<{ record_id: string }>(`SELECT record_id FROM ${db.table('chain')} WHERE chain = $1 ORDER BY seq`, [chain])).map((r) => r.record_id);

  it('migrates idempotently', async () => {
    await db.sink().migrate();
    await db.sink().migrate();
  });

  it('stores records exactly, seals them in write order and verifies', async () => {
    const sink = db.sink();
    const records = [auditRecords(3), auditRecords(17), auditRecords(5)];
    for (const batch of records) await sink.write(batch);
    expect(await count('queue', sink.location.chain)).toBe(25);
    expect(await sink.verify()).toEqual({ ok: true, count: 0, head: null });

    expect(await sink.sealAll()).toBe(25);
    expect(await count('queue', sink.location.chain)).toBe(0);
    expect(await linkedIds(sink.location.chain)).toEqual(records.flat().map((r) => r.id));
    const verification = await sink.verify();
    expect(verification).toMatchObject({ ok: true, count: 25, head: { seq: 25 } });

    const stored = await db.rows<{ id: string; envelope: string; payload: string }>(`SELECT id, envelope, payload FROM ${db.table('records')} WHERE chain = $1`, [sink.location.chain]);
    const byId = new Map(stored.map((row) => [row.id, fromStoredRecord(row)]));
    for (const record of records.flat()) expect(byId.get(record.id)).toEqual(record);
  });

  it('continues the chain across seals and sink instances', async () => {
    const first = db.sink();
    await first.write(auditRecords(4));
    await first.sealAll();
    const second = db.sink({ chain: first.location.chain });
    await second.write(auditRecords(6));
    expect(await second.seal()).toBe(6);
    expect(await first.verify()).toMatchObject({ ok: true, count: 10, head: { seq: 10 } });
  });

  it('joins a transaction of its own Sequelize instance: rolled back with it, sealed only after commit', async () => {
    const sink = db.sink({ autoSeal: true });
    const chain = sink.location.chain;
    const other = db.connect();
    expect(sink.canJoin(await other.transaction().then(async (t) => (await t.rollback(), t)))).toBe(false);

    await expect(db.sequelize.transaction(async (transaction) => {
      expect(sink.canJoin(transaction)).toBe(true);
      await sink.write(auditRecords(2), { transaction });
      throw new Error('the write failed');
    })).rejects.toThrow('the write failed');
    expect(await count('records', chain)).toBe(0);
    expect(await count('queue', chain)).toBe(0);

    const committed = auditRecords(3);
    await db.sequelize.transaction(async (transaction) => {
      await sink.write(committed, { transaction });
      // Not sealed inside the caller's transaction: the chain lock is never held by a write.
      const linked = await db.sequelize.query(`SELECT count(*) AS n FROM ${db.table('chain')} WHERE chain = $1`, { bind: [chain], transaction, plain: true });
      expect(Number(linked?.n)).toBe(0);
    });
    await vi.waitFor(async () => expect(await linkedIds(chain)).toEqual(committed.map((r) => r.id)), { timeout: 10_000 });
    expect(await sink.verify()).toMatchObject({ ok: true, count: 3 });
  });

  it('seals after each write on its own with autoSeal, and close() drains the queue', async () => {
    const sink = db.sink({ autoSeal: true });
    await Promise.all(Array.from({ length: 10 }, () => sink.write(auditRecords(5))));
    await vi.waitFor(async () => expect(await count('chain', sink.location.chain)).toBe(50), { timeout: 10_000 });
    await sink.write(auditRecords(7));
    await sink.close();
    expect(await count('queue', sink.location.chain)).toBe(0);
    expect(await sink.verify()).toMatchObject({ ok: true, count: 57, head: { seq: 57 } });
    await expect(sink.write([auditRecord()])).rejects.toMatchObject({ name: 'AuditStoreError', code: 'sink_closed' });
  });

  it('binds every value: quotes and SQL in records are stored verbatim', async () => {
    const sink = db.sink();
    const record = auditRecord({ tenantId: "o'hara", userId: '$1', input: { note: "'); DROP TABLE x; --" }, reason: '$2 ? :name' });
    await sink.write([record]);
    await sink.sealAll();
    const [row] = await db.rows<{ tenant_id: string; user_id: string; envelope: string; payload: string }>(`SELECT * FROM ${db.table('records')} WHERE id = $1`, [record.id]);
    expect(fromStoredRecord({ id: record.id, envelope: row!.envelope, payload: row!.payload })).toEqual(record);
    expect([row!.tenant_id, row!.user_id]).toEqual(["o'hara", '$1']);
    expect(await sink.verify()).toMatchObject({ ok: true, count: 1 });
  });

  it('refuses identifiers it cannot quote safely', () => {
    expect(() => db.sink({ tablePrefix: 'audit"; DROP' })).toThrow(expect.objectContaining({ code: 'invalid_identifier' }));
  });
});
