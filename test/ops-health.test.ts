import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataTypes, Sequelize } from 'sequelize';
import { Redis } from 'ioredis';
import { createOrmAI, definePolicy, healthHandler, MemoryAuditSink, ORMAI_VERSION, type HealthReport } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { ioredisBudgetStore } from '@ormai/upstash/node';
import { closedPort, useRedis } from '../packages/upstash/src/test-support/redis.js';
import { DIALECTS } from './support/databases.js';
import { ACME, GLOBEX, useShop } from './support/shop-fixture.js';
import { shopPolicy, shopPolicySpec } from './support/shop.js';
import { expectOk } from './support/assertions.js';

/** A TCP server that accepts connections and never answers: a database or store slower than any timeout. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** An adapter over a PostgreSQL at `port` (nothing there, or a server that never answers). */
function unreachableDatabase(port: number) {
  const sequelize = new Sequelize(`postgres://postgres@127.0.0.1:${port}/test`, { logging: false, pool: { max: 1, acquire: 10_000 } });
  sequelize.define('Thing', { id: { type: DataTypes.INTEGER, primaryKey: true }, tenantId: { type: DataTypes.STRING, field: 'tenant_id' } }, { tableName: 'things', timestamps: false });
  return { sequelize, adapter: sequelizeAdapter(sequelize) };
}

const { redis, prefix } = await useRedis('health');

const thingPolicy = () => definePolicy({ ...shopPolicySpec, models: { Thing: {} } });

for (const dialect of DIALECTS) {
  describe(`${dialect}: ormai.health()`, () => {
    const shop = useShop(dialect);

    it('reports version, policy hash and every check ok, with latencies', async () => {
      const ormai = shop.withPolicy(shopPolicy(), { audit: { sink: new MemoryAuditSink() } });
      const report = await ormai.health();
      expect(report).toMatchObject({
        status: 'ok',
        version: ORMAI_VERSION,
        policyHash: ormai.policyHash,
        audit: { status: 'ok', sink: 'memory', queued: 0, dropped: 0 },
        budgetStore: { status: 'ok', shared: false },
        database: { status: 'ok' },
      });
      expect(report.database.latencyMs).toBeGreaterThanOrEqual(0);
      expect(report.budgetStore.latencyMs).toBeGreaterThanOrEqual(0);
    });

    it('audit off is reported as off, not as a failure', async () => {
      const report = await shop.ormai.health();
      expect(report.status).toBe('ok');
      expect(report.audit).toEqual({ status: 'off', sink: null, queued: 0, dropped: 0 });
    });

    it('a failing audit sink: down when the audit fails closed, degraded when it continues', async () => {
      for (const [onFailure, status] of [['fail_closed', 'down'], ['continue', 'degraded']] as const) {
        const sink = new MemoryAuditSink();
        const ormai = shop.withPolicy(shopPolicy(), { audit: { sink, onFailure, flushIntervalMs: 60_000 } });
        expectOk(await ormai.call('db_query', { model: 'Order', limit: 1 }, ACME));
        sink.failWith = new Error('audit database at postgres://auditor:hunter2@10.0.0.9 unreachable');
        await expect(ormai.audit.flush()).rejects.toThrow();
        const report = await ormai.health();
        expect(report).toMatchObject({ status, audit: { status: 'down', sink: 'memory', queued: 1 }, database: { status: 'ok' } });
        expect(JSON.stringify(report)).not.toMatch(/hunter2|10\.0\.0\.9/);
        sink.failWith = null;
        await ormai.audit.flush();
        expect((await ormai.health()).status).toBe('ok');
      }
    });

    it('the handler answers 200 with JSON, no-store, and nothing about tenants', async () => {
      const ormai = shop.withPolicy(shopPolicy(), { audit: { sink: new MemoryAuditSink() } });
      expectOk(await ormai.call('db_query', { model: 'Customer', limit: 5 }, GLOBEX));
      const handle = healthHandler(ormai);
      const response = await handle(new Request('http://127.0.0.1/health'));
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const text = await response.text();
      const body = JSON.parse(text) as HealthReport;
      expect(body).toMatchObject({ status: 'ok', policyHash: ormai.policyHash });
      expect(Object.keys(body).sort()).toEqual(['audit', 'budgetStore', 'database', 'policyHash', 'status', 'version']);
      expect(text).not.toMatch(/globex|acme|test-secret/i);

      const head = await handle(new Request('http://127.0.0.1/health', { method: 'HEAD' }));
      expect([head.status, await head.text()]).toEqual([200, '']);
      const post = await handle(new Request('http://127.0.0.1/health', { method: 'POST' }));
      expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    });
  });
}

describe('ormai.health() when the database or the budget store is gone', () => {
  const shop = useShop('sqlite');
  let silent: Awaited<ReturnType<typeof silentServer>>;
  const closeAfter: Array<() => Promise<unknown> | void> = [];
  beforeAll(async () => {
    silent = await silentServer();
  });
  afterAll(async () => {
    for (const close of closeAfter) await close();
    await silent.close();
  });

  it('a database that refuses connections: down, 503, and no driver message', async () => {
    const { sequelize, adapter } = unreachableDatabase(await closedPort());
    closeAfter.push(() => sequelize.close());
    const ormai = createOrmAI({ adapter, policy: thingPolicy() });
    const report = await ormai.health({ timeoutMs: 5_000 });
    expect(report).toMatchObject({ status: 'down', database: { status: 'down', latencyMs: null, problem: 'failed' }, budgetStore: { status: 'ok' } });
    const response = await healthHandler(ormai, { timeoutMs: 5_000 })(new Request('http://127.0.0.1/health'));
    expect(response.status).toBe(503);
    expect(await response.text()).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  });

  it('a database that never answers: down after the timeout, not hanging', async () => {
    const { sequelize, adapter } = unreachableDatabase(silent.port);
    closeAfter.push(() => sequelize.close().catch(() => {}));
    const ormai = createOrmAI({ adapter, policy: thingPolicy() });
    const report = await ormai.health({ timeoutMs: 200 });
    expect(report).toMatchObject({ status: 'down', database: { status: 'down', latencyMs: null, problem: 'timeout' } });
  });

  it('a shared budget store that is down or silent: degraded, or down when reads fail closed', async () => {
    const refused = new Redis(await closedPort(), '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    const mute = new Redis(silent.port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
    for (const client of [refused, mute]) {
      client.on('error', () => {}); // the outage is the point of this test
      closeAfter.push(() => client.disconnect());
    }
    const withStore = (client: Redis, onStoreFailure: 'continue' | 'fail_closed') =>
      shop.withPolicy(definePolicy({ ...shopPolicySpec, quotas: { toolCallsPerMinute: 1_000, onStoreFailure } }), {
        budgetStore: ioredisBudgetStore(client, { prefix: 'ormai-test:health:', timeoutMs: 10_000 }),
      });

    const failed = await withStore(refused, 'continue').health({ timeoutMs: 5_000 });
    expect(failed).toMatchObject({ status: 'degraded', budgetStore: { status: 'down', shared: true, problem: 'failed' }, database: { status: 'ok' } });
    const timedOut = await withStore(mute, 'fail_closed').health({ timeoutMs: 200 });
    expect(timedOut).toMatchObject({ status: 'down', budgetStore: { status: 'down', shared: true, latencyMs: null, problem: 'timeout' } });
  });

  it('a shared budget store that answers: ok, and the probe leaves no budget used', async () => {
    const ormai = shop.withPolicy(shopPolicy(), { budgetStore: ioredisBudgetStore(redis, { prefix }) });
    for (let i = 0; i < 3; i++) expect(await ormai.health()).toMatchObject({ status: 'ok', budgetStore: { status: 'ok', shared: true } });
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
  });
});
