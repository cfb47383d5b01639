import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { budgetStoreConformance } from '@ormai/core/testing';
import { upstashBudgetStore } from './index.js';
import { ioredisBudgetStore } from './node.js';
import { closedPort, REDIS_URL, upstashClient, useRedis } from './test-support/redis.js';

// These tests check what the stores decide, not how fast: a loaded CI machine must not turn 50 concurrent
// checks into timeouts. The timeout itself is tested against a closed port below.
const SEMANTICS_TIMEOUT_MS = 15_000;

const { redis, bridge, prefix, upstash } = await useRedis('stores');
let stores = 0;
const fresh = () => `${prefix}${stores++}:`;

describe(`shared budget stores on the real Redis at ${REDIS_URL}`, () => {
  budgetStoreConformance({ describe, it, expect }, 'ioredisBudgetStore', (clock) => ioredisBudgetStore(redis, { prefix: fresh(), clock, timeoutMs: SEMANTICS_TIMEOUT_MS }));
  budgetStoreConformance({ describe, it, expect }, 'upstashBudgetStore (REST)', (clock) =>
    upstashBudgetStore(upstash(), { prefix: fresh(), clock, timeoutMs: SEMANTICS_TIMEOUT_MS }),
  );

  it('each check is one request once the script is cached, and runs on the server clock when none is given', async () => {
    const keyPrefix = fresh();
    const store = upstashBudgetStore(upstash(), { prefix: keyPrefix, timeoutMs: SEMANTICS_TIMEOUT_MS });
    const check = [{ key: 'k', limit: 2, windowMs: 60_000 }];
    await store.take(check);
    const before = bridge.requests;
    expect((await store.take(check)).allowed).toBe(true);
    expect(bridge.requests - before).toBe(1);
    const [serverSeconds] = await redis.time();
    // Entries are `time, cost` pairs: numbers only.
    const stored = (await redis.lrange(`${keyPrefix}k`, 0, -1)).map(Number);
    expect(stored).toHaveLength(4);
    const [times, costs] = [stored.filter((_, i) => i % 2 === 0), stored.filter((_, i) => i % 2 === 1)];
    expect(costs).toEqual([1, 1]);
    for (const t of times) expect(Math.abs(t - Number(serverSeconds) * 1000)).toBeLessThan(60_000); // server time, not a test clock
    expect(await redis.pttl(`${keyPrefix}k`)).toBeGreaterThan(0); // keys expire: idle budgets do not pile up
  });

  it('every key carries the prefix: two prefixes on one Redis are two separate sets of budgets', async () => {
    const a = ioredisBudgetStore(redis, { prefix: fresh(), timeoutMs: SEMANTICS_TIMEOUT_MS });
    const b = ioredisBudgetStore(redis, { prefix: fresh(), timeoutMs: SEMANTICS_TIMEOUT_MS });
    const check = [{ key: 'same', limit: 1, windowMs: 60_000 }];
    expect((await a.take(check)).allowed).toBe(true);
    expect((await b.take(check)).allowed).toBe(true);
    expect((await a.take(check)).allowed).toBe(false);
  });

  it('an unreachable store rejects takes and adds within its timeout instead of answering', async () => {
    const port = await closedPort();
    const deadRedis = new Redis(`redis://127.0.0.1:${port}`, { lazyConnect: false });
    deadRedis.on('error', () => {});
    const check = [{ key: 'k', limit: 5, windowMs: 60_000 }];
    try {
      for (const store of [ioredisBudgetStore(deadRedis, { timeoutMs: 200 }), upstashBudgetStore(upstashClient(`http://127.0.0.1:${port}`, 't'), { timeoutMs: 200 })]) {
        await expect(store.take(check)).rejects.toThrow();
        await expect(store.add([{ key: 'k', windowMs: 60_000, cost: 3 }])).rejects.toThrow();
      }
    } finally {
      deadRedis.disconnect();
    }
  });
});
