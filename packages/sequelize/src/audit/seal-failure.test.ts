import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditFailureMode, OrmAI } from '@ormai/core';
import type { SequelizeAuditSink } from './sink.js';
import { uniqueName } from './test-support/databases.js';
import { ACME, auditedOrmAI, seedOrders, statuses } from './test-support/audited-orders.js';
import { DIALECTS, openAuditDb, type AuditTestDb } from './test-support/harness.js';

// A head row moved back (the writer role may UPDATE heads) makes every seal fail on a taken sequence.
// That must not pass silently: the sink's writes refuse, so the audit queue turns unhealthy.
describe.each(DIALECTS)('sealing that keeps failing on %s', (dialect) => {
  let db: AuditTestDb;
  beforeAll(async () => {
    db = await openAuditDb(dialect);
  });
  afterAll(() => db?.close());

  const setup = async (onFailure: AuditFailureMode) => {
    const table = uniqueName('orders');
    const ids = await seedOrders(db.sequelize, table, 2);
    const sink = db.sink({ autoSeal: true });
    const ormai = auditedOrmAI(db.sequelize, { sink, flushIntervalMs: 1, onFailure });
    const chain = sink.location.chain;
    await ormai.call('db_query', { model: 'Order', limit: 1 }, ACME);
    await ormai.call('db_query', { model: 'Order', limit: 1 }, ACME);
    await ormai.audit.flush();
    await sink.sealAll();
    const headBack = () => db.run(`UPDATE ${db.table('heads')} SET seq = 1, hash = (SELECT hash FROM ${db.table('chain')} WHERE chain = $1 AND seq = 1) WHERE chain = $1`, [chain]);
    const headFixed = () => db.run(`UPDATE ${db.table('heads')} SET seq = 2, hash = (SELECT hash FROM ${db.table('chain')} WHERE chain = $1 AND seq = 2) WHERE chain = $1`, [chain]);
    return { table, ids, sink, ormai, headBack, headFixed };
  };
  /** A served read whose record is written, then a background seal that fails on the moved-back head. */
  const sealingFails = async (ormai: OrmAI, sink: SequelizeAuditSink) => {
    expect((await ormai.call('db_query', { model: 'Order', limit: 1 }, ACME)).ok).toBe(true);
    await ormai.audit.flush();
    await expect(sink.sealAll()).rejects.toThrow();
  };
  const code = (result: Awaited<ReturnType<OrmAI['call']>>) => (result.ok ? 'ok' : result.error.code);
  const expectSealedAndVerified = async (ormai: OrmAI, sink: SequelizeAuditSink, records: number) => {
    await ormai.close();
    expect(Number((await db.rows<{ n: unknown }>(`SELECT count(*) AS n FROM ${db.table('queue')} WHERE chain = $1`, [sink.location.chain]))[0]!.n)).toBe(0);
    expect(await sink.verify()).toMatchObject({ ok: true, count: records });
  };

  it('fail_closed: calls are refused with audit_unavailable until the head is fixed, then served again', async () => {
    const { sink, ormai, headBack, headFixed } = await setup('fail_closed');
    await headBack();
    await sealingFails(ormai, sink);
    // The next record's write retries the seal once, then refuses: the queue is unhealthy, fail_closed refuses calls.
    expect(code(await ormai.call('db_query', { model: 'Order', limit: 1 }, ACME))).toBe('ok');
    await expect(ormai.audit.flush()).rejects.toThrow(/cannot be sealed/);
    expect(ormai.audit.health()).toMatchObject({ healthy: false });
    expect(code(await ormai.call('db_query', { model: 'Order', limit: 1 }, ACME))).toBe('audit_unavailable');
    expect(await sink.verify()).toMatchObject({ ok: false, seq: 2, problem: 'broken_link' });

    await headFixed();
    await ormai.audit.flush();
    expect(ormai.audit.health()).toMatchObject({ healthy: true, queued: 0 });
    expect(code(await ormai.call('db_query', { model: 'Order', limit: 1 }, ACME))).toBe('ok');
    await expectSealedAndVerified(ormai, sink, 6);
  });

  it("a write whose record joins the write's transaction is refused (and rolled back) while sealing fails", async () => {
    const { table, ids, sink, ormai, headBack, headFixed } = await setup('continue');
    await headBack();
    await sealingFails(ormai, sink);
    const update = () => ormai.call('db_update', { model: 'Order', id: ids[0]!, values: { status: 'shipped' }, reason: 'customer asked' }, ACME);
    expect(code(await update())).toBe('audit_unavailable');
    expect((await statuses(db.sequelize, table)).get(ids[0]!)).toBe('open');

    await headFixed();
    await ormai.audit.flush(); // the refused write's record: its own write retries the seal, which now succeeds
    expect(code(await update())).toBe('ok');
    expect((await statuses(db.sequelize, table)).get(ids[0]!)).toBe('shipped');
    await expectSealedAndVerified(ormai, sink, 5);
  });
});
