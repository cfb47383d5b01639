import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sequelize } from 'sequelize';
import { createOrmAI, type OrmAI } from '@ormai/core';
import { archiveAuditSegment, sequelizeAdapter, sequelizeAuditSink, verifyAuditArchive, type SequelizeAuditSink } from '@ormai/sequelize';
import { DATABASE_URL } from './support/databases.js';
import { ACME, GLOBEX, useShop } from './support/shop-fixture.js';
import { defineShop, writePolicy } from './support/shop.js';
import { AUDIT_KEY, sqlAuditSink } from './support/audit-sql.js';

const PREFIX = 'chain3';
const REASON = 'customer asked by email to correct the order';

describe('postgres: three OrmAI instances, one audit chain', () => {
  const shop = useShop('postgres');
  const extra: Sequelize[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'ormai-audit-archive-'));
  afterAll(async () => {
    for (const s of extra) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Another process's view of the same database: its own pool, models and sink. */
  function instance(sequelize: Sequelize, sink: SequelizeAuditSink): OrmAI {
    return createOrmAI({ adapter: sequelizeAdapter(sequelize), policy: writePolicy(), secret: 'test-secret', audit: { sink, batchSize: 25, flushIntervalMs: 5 } });
  }

  async function sqlRows(sql: string) {
    const [rows] = await shop.db.sequelize.query(sql);
    return rows as Array<Record<string, unknown>>;
  }

  it('300 concurrent calls from 3 instances make one unbroken chain; any single edit, deletion or reordering is found at its sequence', async () => {
    const first = await sqlAuditSink(shop.db.sequelize, PREFIX);
    // The fixture's connection options (they pin its throwaway schema), for two more pools of the same database.
    const options = ((shop.db.sequelize as unknown as { options: { dialectOptions: { options: string } } }).options.dialectOptions).options;
    const sinks: SequelizeAuditSink[] = [first];
    for (let i = 0; i < 2; i++) {
      const sequelize = new Sequelize(DATABASE_URL, { logging: false, dialectOptions: { options }, pool: { max: 8 } });
      extra.push(sequelize);
      defineShop(sequelize);
      sinks.push(sequelizeAuditSink(sequelize, { tablePrefix: PREFIX, key: AUDIT_KEY }));
    }
    const instances = [instance(shop.db.sequelize, sinks[0]!), instance(extra[0]!, sinks[1]!), instance(extra[1]!, sinks[2]!)];
    const acme = shop.seeded.acmeOrderIds;
    const calls = instances.flatMap((ormai, n) =>
      Array.from({ length: 100 }, (_, i) => {
        const who = i % 7 === 0 ? GLOBEX : ACME;
        if (i % 10 === 0) return ormai.call('db_update', { model: 'Order', id: acme[n * 10 + i / 10]!, values: { amount: 100 + i }, reason: REASON }, ACME);
        if (i % 3 === 0) return ormai.callTool('db_get', { model: 'Order', id: acme[(i * 7) % acme.length]! }, who);
        if (i % 5 === 0) return ormai.callTool('db_query', { model: 'Customer', select: ['name', 'passwordHash'] }, who);
        return ormai.callTool('db_query', { model: 'Order', where: { field: 'status', op: 'eq', value: ['open', 'shipped', 'cancelled'][i % 3] }, limit: 5 }, who);
      }),
    );
    const results = await Promise.all(calls);
    expect(results.filter((r) => r.ok).length).toBeGreaterThan(200);
    for (const ormai of instances) await ormai.close();

    expect(await first.verify()).toEqual({ ok: true, count: 300, head: { seq: 300, hash: expect.any(String) } });
    const chain = await sqlRows(`SELECT seq, record_id FROM ${PREFIX}_chain ORDER BY seq`);
    expect(chain.map((r) => Number(r.seq))).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(new Set(chain.map((r) => r.record_id)).size).toBe(300);
    const writes = await sqlRows(`SELECT count(*) AS n FROM ${PREFIX}_records WHERE action = 'db_update' AND decision = 'allowed'`);
    expect(Number(writes[0]!.n)).toBe(30);

    const recordAt = async (seq: number) => (await sqlRows(`SELECT r.* FROM ${PREFIX}_records r JOIN ${PREFIX}_chain c ON c.record_id = r.id WHERE c.seq = ${seq}`))[0]!;
    // Edit one record's stored envelope.
    const edited = await recordAt(150);
    await shop.db.sequelize.query(`UPDATE ${PREFIX}_records SET envelope = replace(envelope, '"decision":"', '"decision":"x') WHERE id = :id`, { replacements: { id: edited.id } });
    expect(await first.verify()).toMatchObject({ ok: false, seq: 150, problem: 'digest_mismatch' });
    await shop.db.sequelize.query(`UPDATE ${PREFIX}_records SET envelope = :envelope WHERE id = :id`, { replacements: { id: edited.id, envelope: edited.envelope } });
    // Delete one record.
    const deleted = await recordAt(77);
    await shop.db.sequelize.query(`DELETE FROM ${PREFIX}_records WHERE id = :id`, { replacements: { id: deleted.id } });
    expect(await first.verify()).toMatchObject({ ok: false, seq: 77, problem: 'missing_record' });
    const columns = Object.keys(deleted);
    await shop.db.sequelize.query(`INSERT INTO ${PREFIX}_records (${columns.join(', ')}) VALUES (${columns.map((c) => `:${c}`).join(', ')})`, { replacements: deleted });
    // Reorder two records: swap their places in the chain.
    const [a, b] = [await recordAt(200), await recordAt(201)];
    const swap = async (x: unknown, y: unknown) => {
      await shop.db.sequelize.query(`UPDATE ${PREFIX}_chain SET record_id = 'tmp' WHERE seq = 200`);
      await shop.db.sequelize.query(`UPDATE ${PREFIX}_chain SET record_id = :y WHERE seq = 201`, { replacements: { y } });
      await shop.db.sequelize.query(`UPDATE ${PREFIX}_chain SET record_id = :x WHERE seq = 200`, { replacements: { x } });
    };
    await swap(b.id, a.id);
    expect(await first.verify()).toMatchObject({ ok: false, seq: 200, problem: 'broken_link' });
    await swap(a.id, b.id);
    expect(await first.verify()).toMatchObject({ ok: true, count: 300 });

    // Retention archives the oldest 100: the rest verifies from the signed checkpoint, the archive on its own.
    const file = join(dir, 'segment-1.jsonl.gz');
    const archived = await archiveAuditSegment(first, { before: Date.now() + 1, file, key: AUDIT_KEY, maxRecords: 100 });
    expect(archived).toMatchObject({ archived: 100, checkpoint: { seq: 100, count: 100 } });
    expect(await first.verify()).toMatchObject({ ok: true, count: 200, head: { seq: 300 } });
    expect(await verifyAuditArchive(file, AUDIT_KEY)).toMatchObject({ ok: true, count: 100, head: { seq: 100 } });
    expect(Number((await sqlRows(`SELECT count(*) AS n FROM ${PREFIX}_records`))[0]!.n)).toBe(200);
  });
});
