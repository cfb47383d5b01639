import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { definePolicy, type BudgetStore, type OrmAI, type Policy } from '@ormai/core';
import { upstashBudgetStore } from '@ormai/upstash';
import { ioredisBudgetStore } from '@ormai/upstash/node';
import { closedPort, upstashClient } from '../packages/upstash/src/test-support/redis.js';
import { startRestBridge, type RestBridge } from '../packages/upstash/src/test-support/rest-bridge.js';
import { ACME, useShop } from './support/shop-fixture.js';
import { writePolicySpec } from './support/shop.js';
import { expectError, expectOk } from './support/assertions.js';

const REASON = 'customer asked by email to correct the name';
// Generous for a loaded CI machine, and still well under the 3 s pause the timeout test relies on.
const STORE_TIMEOUT_MS = 1_500;

/** A Redis of this test's own, on its own port, that the test stops and starts (the shared one stays up). */
class ThrowawayRedis {
  readonly dir = mkdtempSync(join(tmpdir(), 'ormai-redis-'));
  constructor(readonly port: number) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start() {
    execFileSync('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes', '--dir', this.dir, '--pidfile', join(this.dir, 'pid')]);
    for (let attempt = 0; ; attempt++) {
      try {
        execFileSync('redis-cli', ['-p', String(this.port), 'ping'], { stdio: 'pipe' });
        return;
      } catch (error) {
        if (attempt > 100) throw error;
        await sleep(50);
      }
    }
  }
  stop() {
    execFileSync('redis-cli', ['-p', String(this.port), 'shutdown', 'nosave'], { stdio: 'pipe' });
  }
  /** The server answers nothing for `ms` (connections stay open): a store slower than its timeout. */
  pause(ms: number) {
    execFileSync('redis-cli', ['-p', String(this.port), 'client', 'pause', String(ms), 'ALL'], { stdio: 'pipe' });
  }
  remove() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const policyFailing = (onStoreFailure: NonNullable<Policy['quotas']>['onStoreFailure']) =>
  definePolicy({ ...writePolicySpec, quotas: { toolCallsPerMinute: 10_000, rowsPerHour: 100_000, onStoreFailure } });

// The budget is taken in core before the adapter runs: SQLite is enough.
describe('a budget store that goes away: writes fail closed, reads follow onStoreFailure, and it recovers', () => {
  const shop = useShop('sqlite');
  let server: ThrowawayRedis;
  let client: Redis;
  let bridge: RestBridge;
  beforeAll(async () => {
    server = new ThrowawayRedis(await closedPort());
    await server.start();
    client = new Redis(server.url);
    client.on('error', () => {}); // a stopped server is the point of this test
    bridge = await startRestBridge(client);
  });
  afterAll(async () => {
    await bridge?.close();
    client?.disconnect();
    try {
      server?.stop();
    } catch {
      // already stopped by a failed test
    }
    server?.remove();
  });

  const stores: Array<[string, () => BudgetStore]> = [
    ['ioredis', () => ioredisBudgetStore(client, { prefix: 'ormai-test:failure:', timeoutMs: STORE_TIMEOUT_MS })],
    ['Upstash REST', () => upstashBudgetStore(upstashClient(bridge.url, bridge.token), { prefix: 'ormai-test:failure:', timeoutMs: STORE_TIMEOUT_MS })],
  ];

  /** One instance per failure mode, both on the same store; `continue` reports what it could not count. */
  function instances(store: BudgetStore) {
    const reported: unknown[] = [];
    const closed = shop.withPolicy(policyFailing('fail_closed'), { budgetStore: store });
    const open = shop.withPolicy(policyFailing('continue'), { budgetStore: store, onError: (error) => reported.push(error) });
    return { closed, open, reported };
  }

  const nameOf = async (id: number) => (await shop.models.Customer.findByPk(id))!.get('name') as string;
  const update = (ormai: OrmAI, id: number, name: string) => ormai.call('db_update', { model: 'Customer', id, values: { name }, reason: REASON }, ACME);
  const read = (ormai: OrmAI) => ormai.call('db_query', { model: 'Order', limit: 3 }, ACME);

  /** After an outage the store answers again: retried until it does (bounded), as an agent would. */
  async function untilOk(call: () => Promise<Awaited<ReturnType<OrmAI['callTool']>>>) {
    for (let attempt = 0; attempt < 100; attempt++) {
      const result = await call();
      if (result.ok) return result;
      expectError(result, 'budget_unavailable');
      await sleep(100);
    }
    return call();
  }

  stores.forEach(([name, makeStore], index) => {
    it(`${name}: Redis stopped mid-run, then started again`, async () => {
      const { closed, open, reported } = instances(makeStore());
      const id = shop.seeded.acmeCustomerIds[index]!;
      expectOk(await update(closed, id, `${name} before`));
      expectOk(await read(closed));

      server.stop();
      const refused = expectError(await update(open, id, 'Must not land'), 'budget_unavailable'); // writes fail closed even under 'continue'
      expect(refused).toMatchObject({ retryable: true, details: {} });
      expect(JSON.stringify(refused)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|did not answer within/);
      expectError(await update(closed, id, 'Must not land'), 'budget_unavailable');
      expect(await nameOf(id)).toBe(`${name} before`);
      expectError(await read(closed), 'budget_unavailable');
      expect(reported).toHaveLength(0);
      expect(expectOk(await read(open)).rows).toHaveLength(3); // unmetered, and reported
      expect(reported.length).toBeGreaterThan(0);

      await server.start();
      expectOk(await untilOk(() => update(closed, id, `${name} after`)));
      expect(await nameOf(id)).toBe(`${name} after`);
      expectOk(await read(closed));
    });

    it(`${name}: a store slower than its timeout refuses writes instead of waiting, and nothing is written`, async () => {
      const { closed, open } = instances(makeStore());
      const id = shop.seeded.acmeCustomerIds[3 + index]!;
      expectOk(await update(closed, id, `${name} steady`));
      // Were the timeout not enforced, these calls would wait out the pause and succeed.
      server.pause(3_000);
      expectError(await update(open, id, 'Must not land'), 'budget_unavailable');
      expectError(await read(closed), 'budget_unavailable');
      expect(await nameOf(id)).toBe(`${name} steady`);
      expectOk(await untilOk(() => update(closed, id, `${name} resumed`)));
    });
  });

  it('a store on a closed port: reads follow onStoreFailure', async () => {
    const port = await closedPort();
    const dead = new Redis(`redis://127.0.0.1:${port}`);
    dead.on('error', () => {});
    try {
      for (const store of [ioredisBudgetStore(dead, { timeoutMs: STORE_TIMEOUT_MS }), upstashBudgetStore(upstashClient(`http://127.0.0.1:${port}`, 't'), { timeoutMs: STORE_TIMEOUT_MS })]) {
        const { closed, open, reported } = instances(store);
        expectError(await read(closed), 'budget_unavailable');
        expectOk(await read(open));
        expect(reported).toHaveLength(1);
      }
    } finally {
      dead.disconnect();
    }
  });
});
