import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRecords } from './test-support/records.js';
import { DIALECTS, openAuditDb, type AuditTestDb } from './test-support/harness.js';

const CUSTOMER = { model: 'Customer', id: '5' };

// The core AuditQueue retries a batch whose write rejected, though the write may have committed.
describe.each(DIALECTS)('a repeated write on %s', (dialect) => {
  let db: AuditTestDb;
  beforeAll(async () => {
    db = await openAuditDb(dialect);
  });
  afterAll(() => db?.close());

  const count = async (table: 'records' | 'queue' | 'chain', chain: string) =>
    Number((await db.rows<{ n: unknown }>(`SELECT count(*) AS n FROM ${db.table(table)} WHERE chain = $1`, [chain]))[0]!.n);
  const subjectRows = async (chain: string) =>
    Number((await db.rows<{ n: unknown }>(
      `SELECT count(*) AS n FROM ${db.table('subjects')} s JOIN ${db.table('records')} r ON r.id = s.record_id WHERE r.chain = $1`, [chain]))[0]!.n);
  const linkedIds = async (chain: string) =>
    (await db.rows<{ record_id: string }>(`SELECT record_id FROM ${db.table('chain')} WHERE chain = $1 ORDER BY seq`, [chain])).map((r) => r.record_id);

  it('stores each record once: the same batch again, then a batch mixing old and new ids (one of them twice), are no-ops for the old ones', async () => {
    const sink = db.sink();
    const chain = sink.location.chain;
    const first = auditRecords(4, { subjects: [CUSTOMER] });
    const fresh = auditRecords(3, { subjects: [CUSTOMER] });
    await sink.write(first);
    await sink.write(first);
    await sink.write([first[1]!, fresh[0]!, first[3]!, fresh[1]!, fresh[2]!, fresh[2]!]);

    expect(await count('records', chain)).toBe(7);
    expect(await count('queue', chain)).toBe(7);
    expect(await subjectRows(chain)).toBe(7);
    expect(await sink.sealAll()).toBe(7);
    expect(await linkedIds(chain)).toEqual([...first, ...fresh].map((r) => r.id));
    expect((await sink.subjectAccess(CUSTOMER)).map((r) => r.id)).toEqual([...first, ...fresh].map((r) => r.id));

    // A retry arriving after the first write was sealed queues nothing.
    await sink.write(first);
    expect(await count('queue', chain)).toBe(0);
    expect(await sink.sealAll()).toBe(0);
    expect(await count('chain', chain)).toBe(7);
    expect(await sink.verify()).toMatchObject({ ok: true, count: 7, head: { seq: 7 } });
  });

  it('stores each record once when the same batch is written by two writers at the same time', async () => {
    const sink = db.sink();
    const chain = sink.location.chain;
    const other = db.sink({ chain });
    const batch = auditRecords(20, { subjects: [CUSTOMER] });
    await Promise.all([sink.write(batch), other.write(batch), sink.write(batch.slice(5, 15))]);

    expect(await count('records', chain)).toBe(20);
    expect(await count('queue', chain)).toBe(20);
    expect(await subjectRows(chain)).toBe(20);
    expect(await sink.sealAll()).toBe(20);
    expect(await sink.verify()).toMatchObject({ ok: true, count: 20 });
  });

  it('keeps a retry inside a caller transaction idempotent too', async () => {
    const sink = db.sink();
    const chain = sink.location.chain;
    const batch = auditRecords(3);
    await sink.write(batch);
    await db.sequelize.transaction(async (transaction) => {
      await sink.write([...batch, ...auditRecords(2)], { transaction });
    });
    expect(await count('queue', chain)).toBe(5);
    expect(await sink.sealAll()).toBe(5);
    expect(await sink.verify()).toMatchObject({ ok: true, count: 5 });
  });
});
