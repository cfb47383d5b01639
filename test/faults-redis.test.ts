import { describe, expect, it } from 'vitest';
import { definePolicy, type BudgetStore, type OrmAI } from '@ormai/core';
import { upstashBudgetStore } from '@ormai/upstash';
import { ioredisBudgetStore } from '@ormai/upstash/node';
import { uniquePrefix, upstashClient } from '../packages/upstash/src/test-support/redis.js';
import { expectOk } from './support/assertions.js';
import { sqlAuditSink } from './support/audit-sql.js';
import { auditedCalls } from './support/audited-calls.js';
import { expectRetryable, untilServed } from './support/fault-assertions.js';
import { ACME, useShop } from './support/shop-fixture.js';
import { writePolicySpec } from './support/shop.js';
import { useThrowawayRedis } from './support/throwaway-redis.js';

const REASON = 'customer asked by email to correct the order';
// Generous for a loaded CI machine: a store that answers is never mistaken for one that does not.
const STORE_TIMEOUT_MS = 1_500;

/** PROD: a store that cannot answer refuses writes, and reads too. */
const policy = definePolicy({ ...writePolicySpec, quotas: { toolCallsPerMinute: 10_000, rowsPerHour: 100_000, onStoreFailure: 'fail_closed' } });

// The data and the audit trail on PostgreSQL (the shared server, a schema of this suite's own); the budget
// store on a Redis of this suite's own, crashed mid-call and restarted. The shared Redis is never touched.
describe('redis faults: the budget store crashes mid-call and comes back', () => {
  const shop = useShop('postgres');
  // No offline queue: while the server is down a command fails at once instead of waiting out the store's timeout.
  const redis = useThrowawayRedis({ enableOfflineQueue: false, maxRetriesPerRequest: 1 });

  const stores: Array<[string, () => BudgetStore]> = [
    ['ioredis', () => ioredisBudgetStore(redis.client, { prefix: uniquePrefix('faults'), timeoutMs: STORE_TIMEOUT_MS })],
    ['Upstash REST', () => upstashBudgetStore(upstashClient(redis.bridge.url, redis.bridge.token), { prefix: uniquePrefix('faults'), timeoutMs: STORE_TIMEOUT_MS })],
  ];

  const amountOf = async (id: number) => (await shop.models.Order.findByPk(id))!.get('amount') as number | null;

  stores.forEach(([name, makeStore], index) => {
    it(`${name}: a call whose budget check is in flight when Redis dies, and every call until it is back, is refused and audited; nothing is written`, async () => {
      const sink = await sqlAuditSink(shop.db.sequelize, `faults_redis_${index}`);
      const ormai: OrmAI = shop.withPolicy(policy, { budgetStore: makeStore(), audit: { sink, flushIntervalMs: 60_000 } });
      const { call, expectAllAudited } = auditedCalls(ormai, ACME);
      const id = shop.seeded.acmeOrderIds[index]!;
      const update = (amount: number) => call('db_update', { model: 'Order', id, values: { amount }, reason: REASON });
      const read = () => call('db_query', { model: 'Order', limit: 3 });
      expectOk(await read());
      expectOk(await update(101));

      // The check is sent and held by the paused server (its script may write), then the server is killed under it.
      redis.server.pause(10_000, 'WRITE');
      const pending = update(102);
      await redis.server.blockedIn(/^eval/);
      await redis.server.kill();
      expectRetryable(await pending, 'budget_unavailable');
      expect(await amountOf(id)).toBe(101);

      expectRetryable(await read(), 'budget_unavailable');
      expectRetryable(await update(103), 'budget_unavailable');
      expect(await amountOf(id)).toBe(101);

      await redis.server.start();
      expect(expectOk(await untilServed(read, 'budget_unavailable')).rows).toHaveLength(3);
      expectOk(await update(104));
      expect(await amountOf(id)).toBe(104);
      await expectAllAudited(sink, shop.db.sequelize);
    });
  });
});
