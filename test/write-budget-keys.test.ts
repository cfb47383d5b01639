import { describe, expect, it } from 'vitest';
import { MemoryBudgetStore } from '@ormai/core';
import { ACME, useShop } from './support/shop-fixture.js';
import { writePolicy } from './support/shop.js';
import { expectError, expectOk } from './support/assertions.js';

const REASON = 'customer asked by email to correct the name';

// Budgets are taken in core before the adapter runs: the dialect plays no part, SQLite is enough.
describe('write rate limits: per-principal and per-tenant budgets taken together', () => {
  const shop = useShop('sqlite');
  const MINUTE = 60_000;

  it("a user refused because the tenant's budget is spent keeps their own budget for later", async () => {
    let now = Date.UTC(2026, 10, 25, 12, 0, 0);
    const ormai = shop.withPolicy(writePolicy(), { clock: () => now, budgetStore: new MemoryBudgetStore(() => now) });
    const id = shop.seeded.acmeCustomerIds[0]!;
    const update = (userId: string, i: number) => ormai.call('db_update', { model: 'Customer', id, values: { name: `Name ${i}` }, reason: REASON }, { ...ACME, userId });
    // Colleagues spend the tenant's 20 writes of this minute.
    for (let i = 0; i < 20; i++) expectOk(await update(`colleague-${i}`, i));
    // Half a minute later the agent of u-late tries 20 times: every attempt is refused by the tenant's budget.
    now += MINUTE / 2;
    for (let i = 0; i < 20; i++) expectError(await update('u-late', i), 'rate_limited');
    // Once the colleagues' writes leave the window, u-late's refused attempts must not count against them.
    now += MINUTE / 2;
    expectOk(await update('u-late', 99));
  });

  it("tenant 'acme' with user 'x:y' and tenant 'acme:x' with user 'y' do not share a budget", async () => {
    const now = Date.UTC(2026, 10, 25, 12, 0, 0);
    const ormai = shop.withPolicy(writePolicy(), { clock: () => now, budgetStore: new MemoryBudgetStore(() => now) });
    const id = shop.seeded.acmeCustomerIds[1]!;
    const update = (tenantId: string, userId: string) => ormai.call('db_update', { model: 'Customer', id, values: { name: 'Renamed' }, reason: REASON }, { tenantId, userId });
    for (let i = 0; i < 20; i++) expectOk(await update('acme', 'x:y'));
    expectError(await update('acme', 'x:y'), 'rate_limited');
    // Another tenant, whose row this is not: it must get its own budget (and then not find the row).
    const other = await update('acme:x', 'y');
    expect(other.ok ? 'ok' : other.error.code).toBe('not_found');
  });
});
