import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes, Sequelize } from 'sequelize';
import type { OrmAI } from '@ormai/core';
import { expectOk } from './support/assertions.js';
import { sqlAuditSink } from './support/audit-sql.js';
import { auditedCalls } from './support/audited-calls.js';
import { expectRetryable } from './support/fault-assertions.js';
import { OwnCluster } from './support/own-cluster.js';
import { holdLock, lockedBackend, terminateBackend } from './support/pg-backends.js';
import { ACME, useShop } from './support/shop-fixture.js';
import { writePolicy } from './support/shop.js';

const REASON = 'customer asked by email to correct the order';

// The shop's data on the shared server; the SQL audit sink on a cluster of this suite's own, which the
// tests crash and restart. test/audit-failures.test.ts covers a sink that errs; these kill it mid-write.
describe('audit sink faults: its database dies mid-write', () => {
  const shop = useShop('postgres');
  let cluster: OwnCluster;
  let auditDb: Sequelize;
  let admin: Sequelize;
  beforeAll(async () => {
    cluster = await OwnCluster.create();
    auditDb = new Sequelize(cluster.url, { logging: false, pool: { max: 3 } });
    admin = new Sequelize(cluster.url, { logging: false, pool: { max: 2 } });
  });
  // The cluster goes first: closing a pool waits for connections a failed test may have left borrowed.
  afterAll(async () => {
    await cluster?.remove();
    await auditDb?.close();
    await admin?.close();
  });

  const amountOf = async (id: number) => (await shop.models.Order.findByPk(id))!.get('amount') as number | null;
  const countOf = async (table: string) => Number((await auditDb.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`, { type: QueryTypes.SELECT }))[0]!.n);

  it("the sink's server crashes while a write's record is written: the write rolls back, calls are refused until it is back, no record is lost", async () => {
    const sink = await sqlAuditSink(auditDb, 'faults_sink');
    // fail_closed, the PROD default; records flush when the test asks.
    const ormai: OrmAI = shop.withPolicy(writePolicy(), { audit: { sink, flushIntervalMs: 60_000 } });
    const { call, expectAllAudited } = auditedCalls(ormai, ACME);
    const id = shop.seeded.acmeOrderIds[2]!;
    const update = (amount: number) => call('db_update', { model: 'Order', id, values: { amount }, reason: REASON });
    const read = () => call('db_query', { model: 'Order', limit: 2 });
    expectOk(await read());
    expectOk(await update(201));

    // The write's record waits on the records table (the write's own transaction is open meanwhile), then the server dies.
    await holdLock(admin, 'LOCK TABLE faults_sink_records IN SHARE MODE');
    const pending = update(202);
    await lockedBackend(admin, '%INSERT INTO "faults_sink_records"%');
    await cluster.stop('immediate');
    try {
      expectRetryable(await pending, 'audit_unavailable');
      expect(await amountOf(id)).toBe(201);
      // The queue learns the sink is down at its next write; fail_closed then refuses every call, reads too.
      await expect(ormai.audit.flush()).rejects.toThrow();
      expect(ormai.audit.health()).toMatchObject({ healthy: false, dropped: 0 });
      expectRetryable(await read(), 'audit_unavailable');
      expectRetryable(await update(203), 'audit_unavailable');
      expect(await amountOf(id)).toBe(201);
    } finally {
      await cluster.start();
    }

    // The same instance: the queued records land once the sink is back, and calls are served again.
    await ormai.audit.flush();
    expect(ormai.audit.health()).toMatchObject({ healthy: true, queued: 0, dropped: 0 });
    expectOk(await read());
    expectOk(await update(204));
    expect(await amountOf(id)).toBe(204);
    await expectAllAudited(sink, auditDb);
  });

  it('a seal whose connection is terminated after it linked records leaves the chain as it was; the next seal links them once', async () => {
    const sink = await sqlAuditSink(auditDb, 'faults_seal');
    const ormai: OrmAI = shop.withPolicy(writePolicy(), { audit: { sink, flushIntervalMs: 60_000 } });
    const { call, expectAllAudited } = auditedCalls(ormai, ACME);
    for (let i = 0; i < 3; i++) expectOk(await call('db_query', { model: 'Order', limit: 2 }));

    // The seal after the flush inserts its links, then waits to move the chain's head.
    const release = await holdLock(admin, 'LOCK TABLE faults_seal_heads IN SHARE MODE');
    try {
      await ormai.audit.flush();
      const pid = await lockedBackend(admin, '%INTO "faults_seal_heads"%');
      const [linked] = await admin.query(
        `SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE l.pid = $1 AND c.relname = 'faults_seal_chain' AND l.mode = 'RowExclusiveLock' AND l.granted`,
        { bind: [pid], type: QueryTypes.SELECT },
      );
      expect(linked).toBeDefined(); // the links are inserted in the transaction being killed
      await terminateBackend(admin, pid);
    } finally {
      await release();
    }
    await sink.sealAll(); // after the killed background seal, links what is queued
    expect(await sink.verify()).toMatchObject({ ok: true });

    // Calls go on: the next record's write retries the seal, and every record ends up linked exactly once.
    expectOk(await call('db_query', { model: 'Order', limit: 2 }));
    await expectAllAudited(sink, auditDb);
    expect(await countOf('faults_seal_chain')).toBe(4);
    expect(await countOf('faults_seal_queue')).toBe(0);
  });
});
