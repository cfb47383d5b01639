import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes, Sequelize } from 'sequelize';
import { createOrmAI } from '@ormai/core';
import { PgReadPool, PgReadPoolClosedError, sequelizeAdapter } from '@ormai/sequelize';
import { expectError, expectOk } from './support/assertions.js';
import { DATABASE_URL, openDatabase, type TestDatabase } from './support/databases.js';
import { ACME } from './support/shop-fixture.js';
import { defineShop, shopPolicy } from './support/shop.js';

const backendCount = async (sequelize: Sequelize, pids: number[]) =>
  (await sequelize.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ANY($1::int[])', { bind: [pids], type: QueryTypes.SELECT }))[0]!.n;

/** How many of `pids` still have a backend, once they are gone (polled, bounded: a backend exits after its client's socket closes). */
async function backendsLeft(sequelize: Sequelize, pids: number[]): Promise<number> {
  for (let attempt = 0; attempt < 200 && (await backendCount(sequelize, pids)) > 0; attempt++) await sleep(10);
  return backendCount(sequelize, pids);
}

describe('postgres: the read pool', () => {
  let db: TestDatabase;
  let pool: PgReadPool;

  beforeAll(async () => {
    db = await openDatabase('postgres');
    pool = PgReadPool.forSequelize(db.sequelize);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('connections are read-only for their whole session and carry the requested timeout', async () => {
    const failure = await pool.use(1_000, (c) => c.query('CREATE TABLE should_not_exist (a int)')).catch((e) => e);
    expect(failure.code).toBe('25006'); // read_only_sql_transaction
    const setting = await pool.use(1_234, async (c) => (await c.query('SHOW statement_timeout')).rows[0]);
    expect(setting).toEqual({ statement_timeout: '1234ms' });
    const [tables] = await db.sequelize.query(`SELECT count(*) AS n FROM pg_tables WHERE tablename = 'should_not_exist'`);
    expect(Number((tables as any[])[0].n)).toBe(0);
  });

  it('never opens more connections than Sequelize pool.max and serves waiting callers', async () => {
    const pids = new Set<number>();
    await Promise.all(
      Array.from({ length: 30 }, () => pool.use(1_000, async (c) => pids.add(Number((await c.query('SELECT pg_backend_pid() AS pid, pg_sleep(0.01)')).rows[0]!.pid)))),
    );
    expect(pids.size).toBeGreaterThan(1);
    expect(pids.size).toBeLessThanOrEqual(8); // openDatabase sets pool.max to 8
  });

  it('replaces a connection that was killed and keeps serving', async () => {
    const pid = await pool.use(1_000, async (c) => Number((await c.query('SELECT pg_backend_pid() AS pid')).rows[0]!.pid));
    await db.sequelize.query(`SELECT pg_terminate_backend(${pid})`);
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 20; i++) {
      const result = await pool.use(1_000, async (c) => (await c.query('SELECT 1 AS one')).rows[0]).catch(() => null);
      if (i > 0) expect(result).toEqual({ one: 1 });
    }
  });

  it('a connection whose session setup fails is closed, and callers waiting for one are answered', async () => {
    // The RLS role does not exist: every new connection fails its first statement (SET ROLE).
    const role = `ormai_missing_${Date.now()}`;
    const failing = PgReadPool.forSequelize(db.sequelize, { rls: { role, setting: 'ormai.tenant_id' } });
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => failing.use(1_000, () => Promise.resolve('ran'), 'acme').catch((e: { code?: string }) => e.code)));
    expect(outcomes).toEqual(Array(12).fill('22023')); // role does not exist: no caller ran, none was left waiting
    // A connection left open would sit idle with the failed SET ROLE as its last statement.
    const leftOpen = async () => {
      const [rows] = await db.sequelize.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid()`, { bind: [role] });
      return (rows as Array<{ n: number }>)[0]!.n;
    };
    for (let i = 0; i < 50 && (await leftOpen()) > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await leftOpen()).toBe(0);
  });

  it('idle read connections do not keep the process alive', async () => {
    const script = fileURLToPath(new URL('./support/pg-read-then-close.ts', import.meta.url));
    const cwd = fileURLToPath(new URL('../examples/quickstart/', import.meta.url));
    // Resolves only once the child has exited by itself (the test times out otherwise).
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=ormai-source', '--import', 'tsx', script], { cwd });
    expect(JSON.parse(stdout)).toEqual({ ok: true, data: { rows: [], nextCursor: null } });
  });

  const pidOf = async (c: { query(sql: string): Promise<{ rows: Record<string, unknown>[] }> }) => Number((await c.query('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);

  it('close ends the idle connections, refuses later calls with a clear error, and is harmless twice', async () => {
    const closing = PgReadPool.forSequelize(db.sequelize);
    const pids = await Promise.all(Array.from({ length: 4 }, () => closing.use(1_000, async (c) => (await c.query('SELECT pg_sleep(0.01)'), pidOf(c)))));
    expect(await backendCount(db.sequelize, pids)).toBe(new Set(pids).size);
    await Promise.all([closing.close(), closing.close()]);
    expect(await backendsLeft(db.sequelize, pids)).toBe(0);
    await expect(closing.use(1_000, () => Promise.resolve('ran'))).rejects.toBeInstanceOf(PgReadPoolClosedError);
    await closing.close();
  });

  it('close answers callers waiting for a connection and ends busy connections when their calls release them', async () => {
    const closing = PgReadPool.forSequelize(db.sequelize); // pool.max 8
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const started: Array<Promise<number>> = [];
    const busy = Array.from({ length: 8 }, () => {
      let report!: (pid: number) => void;
      started.push(new Promise<number>((resolve) => (report = resolve)));
      return closing.use(1_000, async (c) => (report(await pidOf(c)), await finished, 'served'));
    });
    const pids = await Promise.all(started);
    const waiting = closing.use(1_000, () => Promise.resolve('ran')).catch((e: unknown) => e);
    await closing.close();
    expect(await waiting).toBeInstanceOf(PgReadPoolClosedError);
    expect(await backendCount(db.sequelize, pids)).toBe(8); // still serving their calls
    finish();
    expect(await Promise.all(busy)).toEqual(Array(8).fill('served'));
    expect(await backendsLeft(db.sequelize, pids)).toBe(0);
  });

  it("the adapter's close() ends the read pool that sequelize.close() leaves open; a later call is a structured error", async () => {
    const application = `ormai_test_close_${process.pid}`;
    const { schema } = (await db.sequelize.query<{ schema: string }>('SELECT current_schema() AS schema', { type: QueryTypes.SELECT }))[0]!;
    const app = new Sequelize(DATABASE_URL, { logging: false, pool: { max: 2 }, dialectOptions: { application_name: application, options: `-c search_path=${schema}` } });
    defineShop(app);
    await app.sync();
    const adapter = sequelizeAdapter(app);
    const ormai = createOrmAI({ adapter, policy: shopPolicy(), secret: 'test-secret' });
    const connections = async () => {
      const [row] = await db.sequelize.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', { bind: [application], type: QueryTypes.SELECT });
      return row!.n;
    };
    expectOk(await ormai.callTool('db_query', { model: 'Product', limit: 1 }, ACME));
    await app.close();
    expect(await connections()).toBeGreaterThan(0);
    await ormai.close();
    await adapter.close!();
    for (let attempt = 0; attempt < 200 && (await connections()) > 0; attempt++) await sleep(10);
    expect(await connections()).toBe(0);
    expectError(await ormai.callTool('db_query', { model: 'Product', limit: 1 }, ACME), 'internal_error');
    await adapter.close!();
  });
});
