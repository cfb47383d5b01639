import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes, Sequelize } from 'sequelize';
import { createOrmAI, definePolicy } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { expectOk } from './support/assertions.js';
import { sqlAuditSink } from './support/audit-sql.js';
import { auditedCalls } from './support/audited-calls.js';
import { DATABASE_URL, openDatabase, type TestDatabase } from './support/databases.js';
import { expectRetryable } from './support/fault-assertions.js';
import { ACME } from './support/shop-fixture.js';
import { defineShop, seedShop, writePolicySpec, type SeededShop } from './support/shop.js';

const REASON = 'customer asked by email to correct the order';

// A lock wait may last as long as the deadlock check takes: the statement timeout must not end it first.
const policy = definePolicy({ ...writePolicySpec, budgets: { ...writePolicySpec.budgets, statementTimeoutMs: 30_000 } });

/** The backend `pid` blocks, once one waits on it (polled, bounded). */
async function blockedBy(admin: Sequelize, pid: number): Promise<number> {
  for (let attempt = 0; attempt < 1_500; attempt++) {
    const [found] = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE $1::int = ANY(pg_blocking_pids(pid))', { bind: [pid], type: QueryTypes.SELECT });
    if (found) return Number(found.pid);
    await sleep(10);
  }
  throw new Error(`no backend waits on ${pid}`);
}

describe('postgres: transient write failures are retryable and change nothing', () => {
  let db: TestDatabase;
  let schema: string;
  let app: Sequelize;
  let seeded: SeededShop;

  beforeAll(async () => {
    db = await openDatabase('postgres');
    schema = (await db.sequelize.query<{ schema: string }>('SELECT current_schema() AS schema', { type: QueryTypes.SELECT }))[0]!.schema;
    // OrmAI's backends check for a deadlock 2 s into a lock wait: by then the test has closed the cycle, so the
    // OrmAI call is the one PostgreSQL picks (the test's own transaction waits a minute before checking).
    app = new Sequelize(DATABASE_URL, { logging: false, pool: { max: 3 }, dialectOptions: { options: `-c search_path=${schema} -c deadlock_timeout=2s` } });
    const models = defineShop(app);
    await app.sync();
    seeded = await seedShop(models);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const amounts = async (ids: number[]) =>
    (await db.sequelize.query<{ amount: number }>('SELECT amount FROM orders WHERE id = ANY($1::int[]) ORDER BY id', { bind: [ids], type: QueryTypes.SELECT })).map((r) => Number(r.amount));

  it('a bulk update that deadlocks with another transaction gets transaction_conflict, writes nothing, and succeeds when repeated', async () => {
    const sink = await sqlAuditSink(app, 'ormai_deadlock');
    const ormai = createOrmAI({ adapter: sequelizeAdapter(app), policy, secret: 'test-secret', audit: { sink, flushIntervalMs: 60_000 } });
    const { call, expectAllAudited } = auditedCalls(ormai, ACME);
    const [first, second] = [seeded.acmeOrderIds[0]!, seeded.acmeOrderIds[1]!].sort((a, b) => a - b) as [number, number];
    const bulk = { model: 'Order', where: { field: 'id', op: 'in', value: [first, second] }, values: { amount: 77 }, reason: REASON };
    const before = await amounts([first, second]);

    // The other transaction holds the second row; the OrmAI write locks in key order: the first row, then waits.
    const other = await db.sequelize.transaction();
    try {
      await db.sequelize.query(`SET LOCAL deadlock_timeout = '1min'`, { transaction: other });
      const [held] = await db.sequelize.query<{ pid: number }>('SELECT pg_backend_pid() AS pid FROM orders WHERE id = $1 FOR UPDATE', { bind: [second], transaction: other, type: QueryTypes.SELECT });
      const pending = call('db_bulk_update', bulk);
      await blockedBy(db.sequelize, held!.pid);
      // Now the other transaction wants the first row: a cycle, which PostgreSQL breaks by rolling the OrmAI write back.
      const otherTakesFirst = db.sequelize.query('SELECT id FROM orders WHERE id = $1 FOR UPDATE', { bind: [first], transaction: other });
      expectRetryable(await pending, 'transaction_conflict');
      await otherTakesFirst;
    } finally {
      await other.rollback();
    }
    expect(await amounts([first, second])).toEqual(before);
    expect(expectOk(await call('db_bulk_update', bulk))).toMatchObject({ affectedRows: 2 });
    expect(await amounts([first, second])).toEqual([77, 77]);
    await expectAllAudited(sink, app);
    await ormai.close();
  });

  it("a write that cannot get one of Sequelize's connections in time gets database_unavailable, and succeeds later", async () => {
    const single = new Sequelize(DATABASE_URL, { logging: false, pool: { max: 1, acquire: 300 }, dialectOptions: { options: `-c search_path=${schema}` } });
    defineShop(single);
    const ormai = createOrmAI({ adapter: sequelizeAdapter(single), policy, secret: 'test-secret' });
    const id = seeded.acmeOrderIds[2]!;
    const update = { model: 'Order', id, values: { amount: 88 }, reason: REASON };
    const [before] = await amounts([id]);
    try {
      // The application holds the pool's only connection.
      const busy = await single.transaction();
      try {
        expectRetryable(await ormai.callTool('db_update', update, ACME), 'database_unavailable');
      } finally {
        await busy.rollback();
      }
      expect(await amounts([id])).toEqual([before]);
      expectOk(await ormai.callTool('db_update', update, ACME));
      expect(await amounts([id])).toEqual([88]);
    } finally {
      await ormai.close();
      await single.close();
    }
  });
});
