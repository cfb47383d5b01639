import { describe, expect, it } from 'vitest';
import { definePolicy, MemoryBudgetStore, type Policy } from '@ormai/core';
import { ioredisBudgetStore } from '@ormai/upstash/node';
import { useRedis } from '../packages/upstash/src/test-support/redis.js';
import { ACME, useShop } from './support/shop-fixture.js';
import { shopPolicySpec } from './support/shop.js';
import { expectError, expectOk } from './support/assertions.js';

const { redis, prefix } = await useRedis('rows-reserve');

// Row quotas count the rows a read may return, reserved before it runs: quotas are taken in core, SQLite is enough.
describe('row quotas reserve what a read may return', () => {
  const shop = useShop('sqlite');
  const withRows = (rowsPerHour: number): Policy => definePolicy({ ...shopPolicySpec, quotas: { rowsPerHour, toolCallsPerMinute: 1_000 } });

  it('30 concurrent reads of up to 8 rows on three instances sharing Redis hand out no more rows than the quota', async () => {
    const instances = [0, 1, 2].map(() => shop.withPolicy(withRows(20), { budgetStore: ioredisBudgetStore(redis, { prefix: `${prefix}burst:`, timeoutMs: 15_000 }) }));
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => instances[i % 3]!.call('db_query', { model: 'Order', limit: 8 }, ACME)));
    const served = results.filter((r) => r.ok).map((r) => expectOk(r).rows.length);
    expect(served).toEqual([8, 8]); // two reservations of 8 fit in 20, a third does not
    for (const refused of results.filter((r) => !r.ok)) expect(expectError(refused, 'quota_exceeded').details.quota).toBe('rowsPerHour');
  });

  it('db_get reserves 1 row, db_aggregate 1 (or maxRows when grouped), db_query its limit (else maxRows)', async () => {
    const now = Date.UTC(2026, 10, 25, 12, 0, 0);
    const models = { ...shopPolicySpec.models, Order: { ...shopPolicySpec.models.Order, budgets: { maxRows: 6 } } };
    const policy = definePolicy({ ...shopPolicySpec, models, quotas: { rowsPerHour: 10 } });
    const ormai = shop.withPolicy(policy, { clock: () => now, budgetStore: new MemoryBudgetStore(() => now) });
    expectOk(await ormai.call('db_get', { model: 'Order', id: shop.seeded.acmeOrderIds[0]! }, ACME)); // 1
    expectOk(await ormai.call('db_aggregate', { model: 'Order', op: 'count' }, ACME)); // 2
    expectOk(await ormai.call('db_aggregate', { model: 'Order', op: 'count', groupBy: ['status'] }, ACME)); // 8: maxRows groups
    const unbounded = expectError(await ormai.call('db_query', { model: 'Order' }, ACME), 'quota_exceeded'); // maxRows (6) does not fit
    expect(unbounded.suggestion).toContain('smaller limit');
    expect(expectOk(await ormai.call('db_query', { model: 'Order', limit: 2 }, ACME)).rows).toHaveLength(2); // 10
    expectError(await ormai.call('db_get', { model: 'Order', id: shop.seeded.acmeOrderIds[1]! }, ACME), 'quota_exceeded');
  });
});
