import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { definePolicy, type BudgetStore, type OrmAI, type Policy } from '@ormai/core';
import { upstashBudgetStore } from '@ormai/upstash';
import { ioredisBudgetStore } from '@ormai/upstash/node';
import { closedPort, upstashClient } from '../packages/upstash/src/test-support/redis.js';
import { ACME, useShop } from './support/shop-fixture.js';
import { useThrowawayRedis } from './support/throwaway-redis.js';
import { writePolicySpec } from './support/shop.js';
import { expectError, expectOk } from './support/assertions.js';
import { untilServed } from './support/fault-assertions.js';

const REASON = 'customer asked by email to correct the name';
// Generous for a loaded CI machine; the timeout test pauses the server until both calls have timed out.
const STORE_TIMEOUT_MS = 1_500;

const policyFailing = (onStoreFailure: NonNullable<Policy['quotas']>['onStoreFailure']) =>
  definePolicy({ ...writePolicySpec, quotas: { toolCallsPerMinute: 10_000, rowsPerHour: 100_000, onStoreFailure } });

// The budget is taken in core before the adapter runs: SQLite is enough.
describe('a budget store that goes away: writes fail closed, reads follow onStoreFailure, and it recovers', () => {
  const shop = useShop('sqlite');
  const redis = useThrowawayRedis();

  const stores: Array<[string, () => BudgetStore]> = [
    ['ioredis', () => ioredisBudgetStore(redis.client, { prefix: 'ormai-test:failure:', timeoutMs: STORE_TIMEOUT_MS })],
    ['Upstash REST', () => upstashBudgetStore(upstashClient(redis.bridge.url, redis.bridge.token), { prefix: 'ormai-test:failure:', timeoutMs: STORE_TIMEOUT_MS })],
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

  stores.forEach(([name, makeStore], index) => {
    it(`${name}: Redis stopped mid-run, then started again`, async () => {
      const { closed, open, reported } = instances(makeStore());
      const id = shop.seeded.acmeCustomerIds[index]!;
      expectOk(await update(closed, id, `${name} before`));
      expectOk(await read(closed));

      redis.server.stop();
      const refused = expectError(await update(open, id, 'Must not land'), 'budget_unavailable'); // writes fail closed even under 'continue'
      expect(refused).toMatchObject({ retryable: true, details: {} });
      expect(JSON.stringify(refused)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|did not answer within/);
      expectError(await update(closed, id, 'Must not land'), 'budget_unavailable');
      expect(await nameOf(id)).toBe(`${name} before`);
      expectError(await read(closed), 'budget_unavailable');
      expect(reported).toHaveLength(0);
      expect(expectOk(await read(open)).rows).toHaveLength(3); // unmetered, and reported
      expect(reported.length).toBeGreaterThan(0);

      await redis.server.start();
      expectOk(await untilServed(() => update(closed, id, `${name} after`), 'budget_unavailable'));
      expect(await nameOf(id)).toBe(`${name} after`);
      expectOk(await read(closed));
    });

    it(`${name}: a store slower than its timeout refuses writes instead of waiting, and nothing is written`, async () => {
      const { closed, open } = instances(makeStore());
      const id = shop.seeded.acmeCustomerIds[3 + index]!;
      expectOk(await update(closed, id, `${name} steady`));
      // Were the timeout not enforced, these calls would wait out the pause and succeed. The pause outlasts
      // both timeouts however slow the machine, and ends once they are seen.
      redis.server.pause(60_000, 'WRITE'); // the stores' scripts count as writes; CLIENT UNPAUSE does not
      expectError(await update(open, id, 'Must not land'), 'budget_unavailable');
      expectError(await read(closed), 'budget_unavailable');
      redis.server.unpause();
      expect(await nameOf(id)).toBe(`${name} steady`);
      expectOk(await untilServed(() => update(closed, id, `${name} resumed`), 'budget_unavailable'));
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
