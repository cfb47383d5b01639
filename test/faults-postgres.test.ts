import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes, Sequelize } from 'sequelize';
import { createOrmAI, definePolicy, type OrmAI } from '@ormai/core';
import { PgReadPool, sequelizeAdapter } from '@ormai/sequelize';
import { expectOk } from './support/assertions.js';
import { sqlAuditSink } from './support/audit-sql.js';
import { auditedCalls } from './support/audited-calls.js';
import { expectRetryable } from './support/fault-assertions.js';
import { OwnCluster } from './support/own-cluster.js';
import { holdLock, lockedBackend, settledConnectionStates, terminateBackend } from './support/pg-backends.js';
import { ACME } from './support/shop-fixture.js';
import { defineShop, seedShop, writePolicySpec, type SeededShop } from './support/shop.js';

const APP = 'ormai-faults';
const POOL_MAX = 3;
/** The statement timeout of the load test: long enough that no ordinary statement on a loaded machine hits it. */
const TIMEOUT_MS = 1_000;
const REASON = 'customer asked by email to correct the order';

/** A promise's outcome, its rejection handled from the start (it may settle while the test awaits something else). */
const settle = <T>(promise: Promise<T>) => promise.then((value) => ({ value }), (error: unknown) => ({ error }));

/** The shop's write policy with room for many writes, and the statement timeout the test needs. */
const faultPolicy = (statementTimeoutMs: number) =>
  definePolicy({
    ...writePolicySpec,
    budgets: { ...writePolicySpec.budgets, statementTimeoutMs },
    models: { ...writePolicySpec.models, Order: { ...writePolicySpec.models.Order, write: { ...writePolicySpec.models.Order.write, maxWritesPerMinute: 1_000 } } },
  });

// Everything runs on a cluster of this suite's own: it is killed and restarted, the shared server never is.
describe('postgres faults: terminated connections, a restarted server, statement timeouts under load', () => {
  let cluster: OwnCluster;
  let sequelize: Sequelize;
  let admin: Sequelize;
  let seeded: SeededShop;
  let adapter: ReturnType<typeof sequelizeAdapter>;

  beforeAll(async () => {
    cluster = await OwnCluster.create();
    sequelize = new Sequelize(cluster.url, { logging: false, pool: { max: POOL_MAX }, dialectOptions: { application_name: APP } });
    admin = new Sequelize(cluster.url, { logging: false, pool: { max: 4 }, dialectOptions: { application_name: `${APP}-admin` } });
    const models = defineShop(sequelize);
    await sequelize.sync();
    seeded = await seedShop(models);
    await sequelize.query('ANALYZE');
    adapter = sequelizeAdapter(sequelize);
  });
  // The cluster goes first: closing a pool waits for connections a failed test may have left borrowed.
  afterAll(async () => {
    await cluster?.remove();
    await sequelize?.close();
    await admin?.close();
  });

  /** An OrmAI with a SQL audit sink of its own on the cluster (joined by writes); records flush when the test asks. */
  async function audited(prefix: string, statementTimeoutMs: number) {
    const sink = await sqlAuditSink(sequelize, prefix);
    const ormai: OrmAI = createOrmAI({ adapter, policy: faultPolicy(statementTimeoutMs), secret: 'test-secret', audit: { sink, flushIntervalMs: 60_000 } });
    return { sink, ormai, ...auditedCalls(ormai, ACME) };
  }

  const amountOf = async (id: number) =>
    (await admin.query<{ amount: number | null }>('SELECT amount FROM orders WHERE id = $1', { bind: [id], type: QueryTypes.SELECT }))[0]!.amount;
  const orderPage = { model: 'Order', limit: 2, include: [{ relation: 'items' }] };

  it('a read whose connection is terminated mid-call gets a retryable database_unavailable, and the next call is served', async () => {
    const { sink, call, expectAllAudited } = await audited('faults_read', 30_000);
    expectOk(await call('db_query', orderPage));
    // The root select runs; the include's statement waits on the lock: the call is mid-flight when its backend dies.
    const release = await holdLock(admin, 'LOCK TABLE order_items IN ACCESS EXCLUSIVE MODE');
    try {
      const pending = call('db_query', orderPage);
      await terminateBackend(admin, await lockedBackend(admin, '%order_items%'));
      expectRetryable(await pending, 'database_unavailable');
    } finally {
      await release();
    }
    expect(expectOk(await call('db_query', orderPage)).rows).toHaveLength(2);
    await expectAllAudited(sink, sequelize);
  });

  it('the read pool hands a caller waiting for a connection a live one, never the one just terminated', async () => {
    const single = new Sequelize(cluster.url, { logging: false, pool: { max: 1 } });
    const pool = PgReadPool.forSequelize(single);
    const release = await holdLock(admin, 'LOCK TABLE products IN ACCESS EXCLUSIVE MODE');
    try {
      const killed = settle(pool.use(30_000, (c) => c.query('SELECT count(*) FROM products')));
      const pid = await lockedBackend(admin, '%FROM products%');
      // Queued behind the only connection: it gets that connection when the killed statement fails.
      const waiting = settle(pool.use(30_000, async (c) => (await c.query('SELECT 1 AS one')).rows));
      await terminateBackend(admin, pid);
      expect(await killed).toMatchObject({ error: { code: '57P01' } });
      expect(await waiting).toEqual({ value: [{ one: 1 }] });
    } finally {
      await release();
      await single.close();
    }
  });

  it('a caller waiting for a read connection when the server goes down is answered, not left waiting', async () => {
    const single = new Sequelize(cluster.url, { logging: false, pool: { max: 1 } });
    const pool = PgReadPool.forSequelize(single);
    try {
      await holdLock(admin, 'LOCK TABLE products IN ACCESS EXCLUSIVE MODE');
      const killed = settle(pool.use(30_000, (c) => c.query('SELECT count(*) FROM products')));
      await lockedBackend(admin, '%FROM products%');
      const waiting = settle(pool.use(30_000, (c) => c.query('SELECT 1')));
      await cluster.stop('immediate');
      expect(await killed).toHaveProperty('error');
      // Its turn comes while no connection can be opened: it fails with that, and can be retried.
      expect(await waiting).toMatchObject({ error: { name: expect.stringMatching(/^SequelizeConnection/) } });
    } finally {
      await cluster.start();
      await single.close();
    }
    expect(await pool.use(1_000, async (c) => (await c.query('SELECT 1 AS one')).rows)).toEqual([{ one: 1 }]);
  });

  it('a write whose connection is terminated while it waits for its row gets database_unavailable, and changes nothing', async () => {
    const { sink, call, expectAllAudited } = await audited('faults_write_wait', 30_000);
    const id = seeded.acmeOrderIds[0]!;
    const before = await amountOf(id);
    const release = await holdLock(admin, 'SELECT id FROM orders WHERE id = $1 FOR UPDATE', [id]);
    try {
      const pending = call('db_update', { model: 'Order', id, values: { amount: 311 }, reason: REASON });
      await terminateBackend(admin, await lockedBackend(admin, '%FOR UPDATE%'));
      expectRetryable(await pending, 'database_unavailable');
    } finally {
      await release();
    }
    expect(await amountOf(id)).toBe(before);
    expectOk(await call('db_update', { model: 'Order', id, values: { amount: 312 }, reason: REASON }));
    expect(await amountOf(id)).toBe(312);
    await expectAllAudited(sink, sequelize);
  });

  it('a write whose connection is terminated after its UPDATE ran, while its audit record is written, rolls back whole', async () => {
    const { sink, call, expectAllAudited } = await audited('faults_write', 30_000);
    const id = seeded.acmeOrderIds[1]!;
    const before = await amountOf(id);
    // The write's audit record joins its transaction; holding the records table makes the write stop right there.
    const release = await holdLock(admin, 'LOCK TABLE faults_write_records IN SHARE MODE');
    try {
      const pending = call('db_update', { model: 'Order', id, values: { amount: 321 }, reason: REASON });
      const pid = await lockedBackend(admin, '%INSERT INTO "faults_write_records"%');
      const [updated] = await admin.query(
        `SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE l.pid = $1 AND c.relname = 'orders' AND l.mode = 'RowExclusiveLock' AND l.granted`,
        { bind: [pid], type: QueryTypes.SELECT },
      );
      expect(updated).toBeDefined(); // the UPDATE of orders has run in the transaction being killed
      await terminateBackend(admin, pid);
      // The statement that broke was the audit record's: the call is refused as unrecordable, nothing was done.
      expectRetryable(await pending, 'audit_unavailable');
    } finally {
      await release();
    }
    expect(await amountOf(id)).toBe(before);

    expectOk(await call('db_update', { model: 'Order', id, values: { amount: 322 }, reason: REASON }));
    expect(await amountOf(id)).toBe(322);
    await expectAllAudited(sink, sequelize);
  });

  it('the server crashes and restarts during calls: in-flight and new calls get database_unavailable, then the same OrmAI recovers', async () => {
    const { sink, ormai, call, expectAllAudited } = await audited('faults_restart', 30_000);
    const [inFlightId, laterId] = [seeded.acmeOrderIds[2]!, seeded.acmeOrderIds[3]!];
    expectOk(await call('db_update', { model: 'Order', id: laterId, values: { amount: 401 }, reason: REASON }));
    expectOk(await call('db_query', orderPage));
    const inFlightBefore = await amountOf(inFlightId);

    // A read and a write in flight, each waiting on a lock, when the server goes down (the crash ends the locks too).
    await holdLock(admin, 'LOCK TABLE order_items IN ACCESS EXCLUSIVE MODE');
    await holdLock(admin, 'SELECT id FROM orders WHERE id = $1 FOR UPDATE', [inFlightId]);
    const read = call('db_query', orderPage);
    const write = call('db_update', { model: 'Order', id: inFlightId, values: { amount: 402 }, reason: REASON });
    await lockedBackend(admin, '%order_items%');
    await lockedBackend(admin, '%FOR UPDATE%');
    await cluster.stop('immediate');
    expectRetryable(await read, 'database_unavailable');
    expectRetryable(await write, 'database_unavailable');

    // While it is down, every kind of call answers the same way, promptly.
    expectRetryable(await call('db_query', orderPage), 'database_unavailable');
    expectRetryable(await call('db_get', { model: 'Order', id: laterId }), 'database_unavailable');
    expectRetryable(await call('db_aggregate', { model: 'Order', op: 'count' }), 'database_unavailable');
    expectRetryable(await call('db_update', { model: 'Order', id: laterId, values: { amount: 403 }, reason: REASON }), 'database_unavailable');
    expectRetryable(await call('db_create', { model: 'Order', values: { status: 'open', amount: 1, customerId: seeded.acmeCustomerIds[0] }, reason: REASON }), 'database_unavailable');
    expect(await ormai.health()).toMatchObject({ status: 'down', database: { status: 'down' } });

    await cluster.start();
    // The same instance, no reconnect by hand: stale connections are dropped and replaced.
    expect(expectOk(await call('db_query', orderPage)).rows).toHaveLength(2);
    expectOk(await call('db_update', { model: 'Order', id: laterId, values: { amount: 404 }, reason: REASON }));
    expect(await amountOf(inFlightId)).toBe(inFlightBefore);
    expect(await amountOf(laterId)).toBe(404);
    await expectAllAudited(sink, sequelize);
  });

  it('many concurrent calls past their statement timeout: each gets statement_timeout, and the pools come back idle', async () => {
    const { sink, call, expectAllAudited } = await audited('faults_timeouts', TIMEOUT_MS);
    const id = seeded.acmeOrderIds[4]!;
    const before = await amountOf(id);
    expectOk(await call('db_query', orderPage));

    for (let round = 0; round < 2; round++) {
      // Every statement on orders waits on the lock until PostgreSQL cancels it at the timeout.
      const release = await holdLock(admin, 'LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
      const results = await Promise.all([
        ...Array.from({ length: 2 * POOL_MAX }, () => call('db_query', { model: 'Order', limit: 5 })),
        ...Array.from({ length: POOL_MAX + 1 }, (_, i) => call('db_update', { model: 'Order', id, values: { amount: 500 - i }, reason: REASON })),
      ]).finally(release);
      for (const result of results) expect(expectRetryable(result, 'statement_timeout').details).toEqual({ model: 'Order', timeoutMs: TIMEOUT_MS });
      expect(await amountOf(id)).toBe(before);
      // No connection leaked, none left mid-transaction, no caller left waiting.
      const states = await settledConnectionStates(admin, APP);
      expect(Object.keys(states)).toEqual(['idle']);
      expect(states.idle).toBeLessThanOrEqual(2 * POOL_MAX); // at most the read pool's and Sequelize's own, round after round
      expect((sequelize.connectionManager as unknown as { pool: object }).pool).toMatchObject({ using: 0, waiting: 0 });
      expect(expectOk(await call('db_query', orderPage)).rows).toHaveLength(2);
    }
    await expectAllAudited(sink, sequelize);
  });
});
