import { describe, expect, it } from 'vitest';
import { definePolicy, MemoryBudgetStore } from '@ormai/core';
import { useShop } from './support/shop-fixture.js';
import { expectError, expectOk } from './support/assertions.js';

const REASON = 'rename the product for the catalogue';

// Budgets are taken in core before the adapter runs: the dialect plays no part, SQLite is enough.
describe('write rate limits under a tenant-free policy', () => {
  const shop = useShop('sqlite');

  it("one user spending the model's writes per minute leaves every other user's budget whole", async () => {
    const now = Date.UTC(2026, 10, 25, 12, 0, 0);
    const policy = definePolicy({ tenantScope: false, readOnly: false, models: { Product: { write: { update: true, writableFields: ['name'], maxWritesPerMinute: 3 } } } });
    const ormai = shop.withPolicy(policy, { clock: () => now, budgetStore: new MemoryBudgetStore(() => now) });
    const id = (await shop.models.Product.findOne())!.get('id') as number;
    const update = (userId: string, name: string) => ormai.callTool('db_update', { model: 'Product', id, values: { name }, reason: REASON }, { userId });
    for (let i = 0; i < 3; i++) expectOk(await update('mallory', `m${i}`));
    expectError(await update('mallory', 'm3'), 'rate_limited');
    // Alice shares no budget with mallory: no refusal, and so no retry time that would tell her about his writes.
    for (let i = 0; i < 3; i++) expectOk(await update('alice', `a${i}`));
    expectError(await update('alice', 'a3'), 'rate_limited');
  });
});
