import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sequelizeAuditSink } from './sink.js';
import { uniqueName } from './test-support/databases.js';
import { auditRecords } from './test-support/records.js';
import { DIALECTS, openAuditDb, type AuditTestDb } from './test-support/harness.js';

describe.each(DIALECTS)('several instances writing one chain at once on %s', (dialect) => {
  let db: AuditTestDb;
  beforeAll(async () => {
    db = await openAuditDb(dialect);
  });
  afterAll(() => db?.close());

  // On SQLite, the application's own concurrent transactions from several connections fail with SQLITE_BUSY
  // (Sequelize sets no busy timeout), audit or not: there the writes go through the sink's transactions, which wait.
  const inCallerTransactions = dialect === 'postgres';

  it('300 records from 3 Sequelize instances, in batches and in write transactions, form one unbroken chain', async () => {
    const chain = uniqueName('chain');
    // Three "processes": each its own Sequelize instance (own connections) and its own sink, all sealing as they go.
    const sinks = [db.connect(), db.connect(), db.connect()].map((sequelize) => sequelizeAuditSink(sequelize, { tablePrefix: db.prefix, chain, autoSeal: true }));
    // verify() runs beside the writers and sealers: a seal committed during its walk is no false alarm.
    let writing = true;
    const verifications: unknown[] = [];
    const verifier = (async () => {
      while (writing) verifications.push(await sinks[0]!.verify());
    })();
    const written = await Promise.all(sinks.map(async (sink, instance) => {
      const records = auditRecords(100, { tenantId: `tenant-${instance}` });
      const batches = Array.from({ length: 20 }, (_, i) => records.slice(i * 5, i * 5 + 5));
      await Promise.all(batches.map((batch, i) => (i % 2 === 0 || !inCallerTransactions
        ? sink.write(batch)
        : sink.location.sequelize.transaction((transaction) => sink.write(batch, { transaction })))));
      return records;
    }));
    await Promise.all(sinks.map((sink) => sink.close()));
    writing = false;
    await verifier;
    expect(verifications.length).toBeGreaterThan(0);
    expect(verifications.filter((v) => !(v as { ok: boolean }).ok)).toEqual([]);

    expect(await sinks[0]!.verify()).toMatchObject({ ok: true, count: 300, head: { seq: 300 } });
    const links = await db.rows<{ seq: unknown; record_id: string }>(`SELECT seq, record_id FROM ${db.table('chain')} WHERE chain = $1 ORDER BY seq`, [chain]);
    expect(links.map((l) => Number(l.seq))).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(new Set(links.map((l) => l.record_id))).toEqual(new Set(written.flat().map((r) => r.id)));
    // Records of one batch keep their order in the one total order (batches written at once may interleave).
    const position = new Map(links.map((l, i) => [l.record_id, i]));
    for (const records of written) {
      for (let i = 0; i < records.length; i += 5) {
        const at = records.slice(i, i + 5).map((r) => position.get(r.id)!);
        expect(at).toEqual([...at].sort((a, b) => a - b));
      }
    }
  });
});
