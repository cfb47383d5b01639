import { describe, expect, it } from 'vitest';
import { createOrmAI, definePolicy, MemoryAuditSink, MemoryBudgetStore, type BudgetStore, type OrmAI, type Policy, type PolicySpec } from '@ormai/core';
import { upstashBudgetStore } from '@ormai/upstash';
import { ioredisBudgetStore } from '@ormai/upstash/node';
import { useRedis } from '../packages/upstash/src/test-support/redis.js';
import { ACME, GLOBEX, useShop } from './support/shop-fixture.js';
import { shopPolicySpec, writePolicySpec } from './support/shop.js';
import { expectError, expectOk } from './support/assertions.js';

const REASON = 'customer asked by email to correct the name';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const { redis, prefix, upstash } = await useRedis('quotas');

const withQuotas = (spec: PolicySpec, quotas: NonNullable<PolicySpec['quotas']>): Policy => definePolicy({ ...spec, quotas });

// Quotas are taken in core's pipeline before the adapter runs: SQLite is enough.
describe('per-tenant quotas (memory store, injected clock)', () => {
  const shop = useShop('sqlite');
  let now = Date.UTC(2026, 10, 25, 12, 0, 0);
  const clocked = (policy: Policy, extra: Parameters<typeof shop.withPolicy>[1] = {}) =>
    shop.withPolicy(policy, { clock: () => now, budgetStore: new MemoryBudgetStore(() => now), ...extra });
  const count = (ormai: OrmAI, context = ACME) => ormai.call('db_aggregate', { model: 'Order', op: 'count' }, context);

  it('toolCallsPerMinute: every call of the tenant counts; past it quota_exceeded says which quota and when, and is audited', async () => {
    const sink = new MemoryAuditSink();
    const ormai = clocked(withQuotas(shopPolicySpec, { toolCallsPerMinute: 5 }), { audit: { sink } });
    const start = now;
    expectOk(await ormai.call('db_describe_schema', {}, ACME));
    now += 10_000;
    for (let i = 0; i < 3; i++) expectOk(await count(ormai));
    expectError(await ormai.call('db_query', { model: 'Nope' }, { ...ACME, userId: 'colleague' }), 'model_not_allowed'); // refused calls count too
    const refused = expectError(await count(ormai, { ...ACME, userId: 'someone-else' }), 'quota_exceeded'); // per tenant, not per user
    expect(refused).toMatchObject({ retryable: true, details: { quota: 'toolCallsPerMinute', limit: 5, retryAfterMs: start + MINUTE - now } });
    expect(refused.suggestion).toMatch(/Wait 50 s/);
    expectOk(await count(ormai, GLOBEX)); // another tenant has its own
    now = start + MINUTE;
    expectOk(await count(ormai));
    await ormai.audit.flush();
    expect(sink.all().filter((r) => r.decision === 'quota_exceeded')).toHaveLength(1);
  });

  it('writesPerDay counts write tools only (not reads or previews), whatever their outcome', async () => {
    const ormai = clocked(withQuotas(writePolicySpec, { writesPerDay: 3 }));
    const id = shop.seeded.acmeCustomerIds[2]!;
    const update = (name: string) => ormai.call('db_update', { model: 'Customer', id, values: { name }, reason: REASON }, ACME);
    for (let i = 0; i < 5; i++) expectOk(await count(ormai));
    expectOk(await ormai.call('db_preview_write', { operation: 'update', model: 'Customer', id, values: { name: 'Preview' } }, ACME));
    expectOk(await update('First'));
    expectError(await ormai.call('db_update', { model: 'Customer', id, values: { tier: 'gold' }, reason: REASON }, ACME), 'field_not_allowed');
    expectOk(await update('Third'));
    const refused = expectError(await update('Fourth'), 'quota_exceeded');
    expect(refused.details).toEqual({ quota: 'writesPerDay', limit: 3, retryAfterMs: DAY });
    expect((await shop.models.Customer.findByPk(id))!.get('name')).toBe('Third');
    expectOk(await count(ormai)); // reads go on
  });

  it('rowsPerHour and rowsPerDay: a read reserves the rows it may return before it runs', async () => {
    const ormai = clocked(withQuotas(shopPolicySpec, { rowsPerHour: 10, rowsPerDay: 25 }));
    const query = (limit: number) => ormai.call('db_query', { model: 'Order', limit }, ACME);
    const first = now;
    expect(expectOk(await query(8)).rows).toHaveLength(8);
    now += MINUTE;
    const refused = expectError(await query(8), 'quota_exceeded'); // 8 + 8 > 10: refused before it runs
    expect(refused.details).toEqual({ quota: 'rowsPerHour', limit: 10, retryAfterMs: first + HOUR - now });
    expect(refused.suggestion).toContain('db_aggregate');
    expectOk(await count(ormai)); // an aggregate without groups reserves 1 row: 9
    expect(expectOk(await query(1)).rows).toHaveLength(1); // 10
    expectError(await count(ormai), 'quota_exceeded');
    expectOk(await ormai.call('db_query', { model: 'Order', limit: 5 }, GLOBEX));
    now = first + HOUR; // the first read left the hour (2 left in it); the day holds 10
    expect(expectOk(await query(8)).rows).toHaveLength(8); // the hour: 10, the day: 18
    now += HOUR;
    expect(expectOk(await query(7)).rows).toHaveLength(7); // the day: 25
    const daily = expectError(await ormai.call('db_get', { model: 'Order', id: shop.seeded.acmeOrderIds[0]! }, ACME), 'quota_exceeded');
    expect(daily.details).toMatchObject({ quota: 'rowsPerDay', limit: 25, retryAfterMs: first + DAY - now });
  });

  it('a tenant-free policy counts per user', async () => {
    const policy = definePolicy({ tenantScope: false, models: { Product: {} }, quotas: { toolCallsPerMinute: 2 } });
    const ormai = clocked(policy);
    const products = (userId: string) => ormai.callTool('db_query', { model: 'Product' }, { userId });
    expectOk(await products('alice'));
    expectOk(await products('alice'));
    expect(expectError(await products('alice'), 'quota_exceeded').details.quota).toBe('toolCallsPerMinute');
    expectOk(await products('bob'));
  });

  it('approvals decisions count as tool calls of the tenant', async () => {
    const ormai = clocked(withQuotas(writePolicySpec, { toolCallsPerMinute: 3 }));
    const orderId = shop.seeded.acmeOrderIds[3]!;
    const queued = expectError(await ormai.call('db_update', { model: 'Order', id: orderId, values: { amount: 900 }, reason: REASON }, ACME), 'approval_required');
    const approver = { ...ACME, userId: 'fin-1', roles: ['finance'] };
    expectOk(await ormai.approvals.deny(queued.details.approvalId, approver, 'not this one'));
    expectOk(await count(ormai));
    expectError(await ormai.approvals.deny(queued.details.approvalId, approver, 'again'), 'quota_exceeded');
  });

  it('a budget store without a secret is a configuration error: random per-process keys would split shared limits', () => {
    expect(() => createOrmAI({ adapter: shop.ormai.adapter, policy: shop.ormai.policy, budgetStore: new MemoryBudgetStore() })).toThrow(
      expect.objectContaining({ name: 'BudgetConfigError', message: expect.stringContaining('secret') }),
    );
    expect(shop.ormai.budgets.shared).toBe(false);
  });
});

describe('quotas across three instances sharing one Redis', () => {
  const shop = useShop('sqlite');
  const stores: Array<[string, (keyPrefix: string) => BudgetStore]> = [
    // A generous timeout: these tests check decisions, not speed, and CI machines are loaded.
    ['ioredis', (keyPrefix) => ioredisBudgetStore(redis, { prefix: keyPrefix, timeoutMs: 15_000 })],
    ['Upstash REST', (keyPrefix) => upstashBudgetStore(upstash(), { prefix: keyPrefix, timeoutMs: 15_000 })],
  ];
  // Each instance has its own store object, as separate processes would; only Redis (and the secret) is shared.
  const threeInstances = (policy: Policy, storeAt: (keyPrefix: string) => BudgetStore, keyPrefix: string) =>
    [0, 1, 2].map(() => shop.withPolicy(policy, { budgetStore: storeAt(keyPrefix) }));

  for (const [name, storeAt] of stores) {
    it(`${name}: 60 concurrent calls of one tenant under toolCallsPerMinute 25: exactly 25 run, in total`, async () => {
      const instances = threeInstances(withQuotas(shopPolicySpec, { toolCallsPerMinute: 25 }), storeAt, `${prefix}${name}:calls:`);
      expect(instances[0]!.budgets.shared).toBe(true);
      const results = await Promise.all(Array.from({ length: 60 }, (_, i) => instances[i % 3]!.call('db_aggregate', { model: 'Order', op: 'count' }, { ...ACME, userId: `u-${i % 7}` })));
      expect(results.filter((r) => r.ok)).toHaveLength(25);
      for (const result of results.filter((r) => !r.ok)) {
        const error = expectError(result, 'quota_exceeded');
        expect(error.details.quota).toBe('toolCallsPerMinute');
        expect(error.details.retryAfterMs).toBeGreaterThan(0);
        expect(error.details.retryAfterMs).toBeLessThanOrEqual(MINUTE);
      }
      expectOk(await instances[2]!.call('db_aggregate', { model: 'Order', op: 'count' }, GLOBEX));
    });

    it(`${name}: a rowsPerHour quota holds across the three instances`, async () => {
      const instances = threeInstances(withQuotas(shopPolicySpec, { rowsPerHour: 30 }), storeAt, `${prefix}${name}:rows:`);
      const query = (instance: number, context = ACME) => instances[instance]!.call('db_query', { model: 'Order', limit: 8 }, context);
      // 8 rows reserved per read: reads on instances 0, 1, 2 leave 6; the next, wherever it lands, is refused.
      for (const instance of [0, 1, 2]) expect(expectOk(await query(instance)).rows).toHaveLength(8);
      for (const instance of [1, 2, 0]) {
        const error = expectError(await query(instance), 'quota_exceeded');
        expect(error.details).toMatchObject({ quota: 'rowsPerHour', limit: 30 });
        expect(error.details.retryAfterMs).toBeGreaterThan(0);
        expect(error.details.retryAfterMs).toBeLessThanOrEqual(HOUR);
      }
      expectOk(await query(1, GLOBEX));
    });
  }
});
