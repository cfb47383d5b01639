import { describe, expect, it } from 'vitest';
import { generateText, stepCountIs } from 'ai';
import { definePolicy, type BudgetStore } from '@ormai/core';
import { ormaiTools } from '@ormai/ai-sdk';
import { scriptedModel } from '@ormai/ai-sdk/testing';
import { upstashBudgetStore } from '@ormai/upstash';
import { ioredisBudgetStore } from '@ormai/upstash/node';
import { useRedis } from '../packages/upstash/src/test-support/redis.js';
import { useShop } from './support/shop-fixture.js';
import { writePolicySpec } from './support/shop.js';
import { expectOk } from './support/assertions.js';

const { redis, prefix, upstash } = await useRedis('minimized');

// Identifiers of the run: none may reach Redis in clear, in a key or in a value.
const TENANT = 'acme';
const OTHER_TENANT = 'globex';
const USER = 'user-4411-jane';
const SESSION = 'session-5532-chat';
const REQUEST = 'request-9921-http';
const IDENTIFIERS = [TENANT, OTHER_TENANT, USER, SESSION, REQUEST];

const policy = definePolicy({ ...writePolicySpec, quotas: { toolCallsPerMinute: 1_000, rowsPerHour: 10_000, rowsPerDay: 100_000, writesPerDay: 1_000 } });

/** Every key under `keyPrefix` (SCAN, not KEYS) with every value it holds, as text. */
async function dump(keyPrefix: string): Promise<Array<{ key: string; type: string; values: string[] }>> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1_000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return Promise.all(
    keys.map(async (key) => {
      const type = await redis.type(key);
      const values = type === 'list' ? await redis.lrange(key, 0, -1) : type === 'string' ? [(await redis.get(key)) ?? ''] : [`a ${type}: not expected`];
      return { key, type, values };
    }),
  );
}

// The budget is taken in core before the adapter runs: SQLite is enough.
describe('what the budget stores write to Redis: hashed keys, counts and times only (issue 16)', () => {
  const shop = useShop('sqlite');
  const stores: Array<[string, (keyPrefix: string) => BudgetStore]> = [
    ['ioredis', (keyPrefix) => ioredisBudgetStore(redis, { prefix: keyPrefix, timeoutMs: 15_000 })],
    ['Upstash REST', (keyPrefix) => upstashBudgetStore(upstash(), { prefix: keyPrefix, timeoutMs: 15_000 })],
  ];

  for (const [name, storeAt] of stores) {
    it(`${name}: after a run with writes, quotas and an AI SDK step budget, no key or value holds a tenant, user, session or request id`, async () => {
      const keyPrefix = `${prefix}${name === 'ioredis' ? 'io' : 'rest'}:`;
      const ormai = shop.withPolicy(policy, { budgetStore: storeAt(keyPrefix) });
      const context = { tenantId: TENANT, userId: USER, sessionId: SESSION, requestId: REQUEST };
      const id = shop.seeded.acmeCustomerIds[0]!;
      expectOk(await ormai.call('db_update', { model: 'Customer', id, values: { name: 'Renamed for the minimization test' }, reason: 'customer asked' }, context));
      expectOk(await ormai.call('db_query', { model: 'Order', limit: 5 }, context));
      expectOk(await ormai.call('db_get', { model: 'Order', id: shop.seeded.acmeOrderIds[0]! }, context));
      expectOk(await ormai.call('db_query', { model: 'Order', limit: 2 }, { tenantId: OTHER_TENANT, userId: USER }));
      // The AI SDK step budget, by request id (shared), and by session id.
      const model = () => scriptedModel(() => ({ toolCalls: [{ toolName: 'db_query', input: { model: 'Order', limit: 1 } }] }));
      await generateText({ model: model(), tools: ormaiTools(ormai), stopWhen: stepCountIs(2), prompt: 'x', experimental_context: context });
      const { requestId: _request, ...sessionOnly } = context;
      await generateText({ model: model(), tools: ormaiTools(ormai, { context: sessionOnly }), stopWhen: stepCountIs(2), prompt: 'x' });

      const entries = await dump(keyPrefix);
      // Write budgets (user, tenant); acme's four quotas; globex's calls and two row windows; two step budgets (request, session).
      expect(entries).toHaveLength(11);
      for (const { key, type, values } of entries) {
        expect(key).toMatch(new RegExp(`^${keyPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[0-9a-f]{32}$`));
        expect(type).toBe('list');
        for (const value of values) expect(value).toMatch(/^\d+$/); // times and costs
      }
      const everything = JSON.stringify(entries.map(({ key, values }) => [key.slice(keyPrefix.length), values]));
      for (const identifier of IDENTIFIERS) expect(everything).not.toContain(identifier);
    });
  }
});
