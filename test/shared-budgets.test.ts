import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { BudgetStore, OrmAI } from '@ormai/core';
import { upstashBudgetStore } from '@ormai/upstash';
import { ioredisBudgetStore } from '@ormai/upstash/node';
import { closedPort, upstashClient, useRedis } from '../packages/upstash/src/test-support/redis.js';
import { ACME, GLOBEX, useShop } from './support/shop-fixture.js';
import { writePolicy } from './support/shop.js';
import { expectError, expectOk } from './support/assertions.js';

const REASON = 'customer asked by email to correct the name';
const { redis, prefix, upstash } = await useRedis('acceptance');

// The budget is taken in core before the adapter runs: the dialect plays no part, SQLite is enough.
describe('three OrmAI instances sharing one Redis budget', () => {
  const shop = useShop('sqlite');
  const stores: Array<[string, (keyPrefix: string) => BudgetStore]> = [
    // A generous timeout: these tests check decisions, not speed, and CI machines are loaded.
    ['ioredis', (keyPrefix) => ioredisBudgetStore(redis, { prefix: keyPrefix, timeoutMs: 15_000 })],
    ['Upstash REST', (keyPrefix) => upstashBudgetStore(upstash(), { prefix: keyPrefix, timeoutMs: 15_000 })],
  ];

  for (const [name, storeAt] of stores) {
    it(`${name}: 100 concurrent updates of one tenant under maxWritesPerMinute 20: exactly 20 succeed, in total`, async () => {
      const keyPrefix = `${prefix}${name}:`;
      // Each instance has its own store object, as separate processes would; only Redis is shared.
      const instances: OrmAI[] = [0, 1, 2].map(() => shop.withPolicy(writePolicy(), { budgetStore: storeAt(keyPrefix) }));
      const id = shop.seeded.acmeCustomerIds[0]!;
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          instances[i % 3]!.call('db_update', { model: 'Customer', id, values: { name: `Renamed ${i}` }, reason: REASON }, { ...ACME, userId: `u-${i % 10}` }),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(20);
      const refused = results.filter((r) => !r.ok);
      expect(refused).toHaveLength(80);
      for (const result of refused) {
        const error = expectError(result, 'rate_limited');
        expect(error.details.retryAfterMs).toBeGreaterThan(0);
        expect(error.details.retryAfterMs).toBeLessThanOrEqual(60_000);
      }
      // Another tenant's budget is its own.
      expectOk(await instances[1]!.call('db_update', { model: 'Customer', id: shop.seeded.globexCustomerIds[0]!, values: { name: 'Globex rename' }, reason: REASON }, GLOBEX));
    });
  }

  it('an unreachable store: writes fail closed with budget_unavailable, and nothing is written', async () => {
    const port = await closedPort();
    const deadRedis = new Redis(`redis://127.0.0.1:${port}`);
    deadRedis.on('error', () => {});
    const id = shop.seeded.acmeCustomerIds[1]!;
    const nameOf = async () => ((await shop.models.Customer.findByPk(id))!.get('name') as string);
    const before = await nameOf();
    try {
      for (const budgetStore of [ioredisBudgetStore(deadRedis, { timeoutMs: 200 }), upstashBudgetStore(upstashClient(`http://127.0.0.1:${port}`, 't'), { timeoutMs: 200 })]) {
        const ormai = shop.withPolicy(writePolicy(), { budgetStore });
        const error = expectError(await ormai.call('db_update', { model: 'Customer', id, values: { name: 'Must not land' }, reason: REASON }, ACME), 'budget_unavailable');
        expect(error).toMatchObject({ retryable: true, details: {} });
        expect(JSON.stringify(error)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|timed out|did not answer within/);
      }
      expect(await nameOf()).toBe(before);
    } finally {
      deadRedis.disconnect();
    }
  });
});
