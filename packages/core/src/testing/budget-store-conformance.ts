import type { BudgetCheck, BudgetEntry, BudgetStore } from '../spec/stores.js';

/** The few assertions the suite uses; vitest's and Jest's `expect` both fit. */
export interface ConformanceExpect {
  (actual: unknown, message?: string): {
    toBe(expected: unknown): void;
    toEqual(expected: unknown): void;
    toBeLessThanOrEqual(expected: number): void;
  };
}

/** The test framework's functions: the suite depends on none itself. */
export interface ConformanceFramework {
  describe(name: string, body: () => void): void;
  /** `timeoutMs`: the few tests that make hundreds of calls ask for more time (a remote store over HTTP is slow). */
  it(name: string, body: () => Promise<void>, timeoutMs?: number): void;
  expect: ConformanceExpect;
}

/** Builds a fresh, empty store reading time from `clock` (each test gets its own). */
export type MakeBudgetStore = (clock: () => number) => BudgetStore | Promise<BudgetStore>;

const MINUTE = 60_000;

/** A small seeded generator, so a failing random run can be replayed. */
function seededRandom(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The brute-force reference: the most allowed events any window [t, t + windowMs) holds. */
function busiestWindow(allowedAt: number[], windowMs: number) {
  return Math.max(0, ...allowedAt.map((start) => allowedAt.filter((t) => t >= start && t < start + windowMs).length));
}

/** The reference for weighted logs: units used at `now`, and the exact wait for `cost` to fit (0: it fits). */
function weightedReference(entries: Array<{ at: number; cost: number }>, limit: number, windowMs: number, cost: number, now: number) {
  const live = entries.filter((e) => e.at > now - windowMs);
  const used = live.reduce((sum, e) => sum + e.cost, 0);
  if (cost > limit) return { used, wait: windowMs };
  for (let dropped = 0, units = used; ; dropped++) {
    if (units + Math.max(cost, 1) <= limit) return { used, wait: dropped === 0 ? 0 : live[dropped - 1]!.at + windowMs - now };
    units -= live[dropped]!.cost;
  }
}

async function rejects(promise: Promise<unknown>): Promise<boolean> {
  return promise.then(
    () => false,
    () => true,
  );
}

/**
 * The behaviour every `BudgetStore` must have, as one suite for store authors:
 * `budgetStoreConformance({ describe, it, expect }, 'my store', (clock) => myStore({ clock }))`.
 * Windows are seconds or more, so a store that also expires keys by real time keeps its state
 * through the test.
 */
export function budgetStoreConformance(framework: ConformanceFramework, name: string, makeStore: MakeBudgetStore): void {
  const { describe, it, expect } = framework;
  const one = (key: string, limit: number, windowMs = MINUTE): BudgetCheck[] => [{ key, limit, windowMs }];
  const weighted = (key: string, limit: number, cost: number, windowMs = MINUTE): BudgetCheck[] => [{ key, limit, windowMs, cost }];
  const usage = (key: string, cost: number, windowMs = MINUTE): BudgetEntry[] => [{ key, windowMs, cost }];

  describe(`BudgetStore conformance: ${name}`, () => {
    it('implements specification v1', async () => {
      expect((await makeStore(() => 0)).specificationVersion).toBe('v1');
    });

    it('allows exactly the limit under concurrency, and the next unit once the oldest leaves the window', async () => {
      let now = 120_000;
      const store = await makeStore(() => now);
      const decisions = await Promise.all(Array.from({ length: 50 }, () => store.take(one('k', 20))));
      expect(decisions.filter((d) => d.allowed).length).toBe(20);
      expect(decisions.filter((d) => !d.allowed).map((d) => [d.retryAfterMs, d.refusedBy, d.remaining])).toEqual(Array(30).fill([MINUTE, 0, [0]]));
      expect((await store.take(one('other', 20))).allowed).toBe(true);
      now += MINUTE;
      expect((await store.take(one('k', 20))).allowed).toBe(true);
    });

    it('an agent bursting on both sides of a minute boundary gets the limit, not twice the limit', async () => {
      let now = 59_900;
      const store = await makeStore(() => now);
      let allowed = 0;
      for (let i = 0; i < 20; i++) if ((await store.take(one('writes', 20))).allowed) allowed++;
      now = 60_100;
      for (let i = 0; i < 20; i++) if ((await store.take(one('writes', 20))).allowed) allowed++;
      expect(allowed).toBe(20);
    });

    it('retryAfterMs is exactly when the next unit frees up: not a millisecond earlier', async () => {
      let now = 1_000;
      const store = await makeStore(() => now);
      for (let i = 0; i < 3; i++) {
        expect((await store.take(one('k', 3))).allowed).toBe(true);
        now += 7_000;
      }
      const refused = await store.take(one('k', 3));
      expect([refused.allowed, refused.remaining, refused.retryAfterMs]).toEqual([false, [0], 1_000 + MINUTE - now]);
      const at = now + refused.retryAfterMs;
      now = at - 1;
      expect((await store.take(one('k', 3))).allowed).toBe(false);
      now = at;
      expect(await store.take(one('k', 3))).toEqual({ allowed: true, retryAfterMs: 0, remaining: [0] });
    });

    it('remaining counts what each window still allows', async () => {
      let now = 0;
      const store = await makeStore(() => now);
      expect((await store.take(one('k', 3, 10_000))).remaining).toEqual([2]);
      now = 5_000;
      expect((await store.take([{ key: 'k', limit: 3, windowMs: 10_000 }, { key: 'j', limit: 5, windowMs: 10_000 }])).remaining).toEqual([1, 4]);
      now = 10_000; // the first event has left k's window
      expect((await store.take(one('k', 3, 10_000))).remaining).toEqual([1]);
    });

    it('a refusal by one limit spends none of the others', async () => {
      const now = 1_000;
      const store = await makeStore(() => now);
      for (let i = 0; i < 2; i++) expect((await store.take(one('tenant', 2))).allowed).toBe(true);
      for (let i = 0; i < 10; i++) {
        const refused = await store.take([{ key: 'user', limit: 5, windowMs: MINUTE }, { key: 'tenant', limit: 2, windowMs: MINUTE }]);
        expect([refused.allowed, refused.refusedBy, refused.remaining]).toEqual([false, 1, [5, 0]]);
      }
      expect((await store.take(one('user', 5))).remaining).toEqual([4]); // the user's budget is whole
    });

    it('under concurrency, several limits are taken all or nothing', async () => {
      const store = await makeStore(() => 1_000);
      const both = [{ key: 'narrow', limit: 7, windowMs: MINUTE }, { key: 'wide', limit: 30, windowMs: MINUTE }];
      const decisions = await Promise.all(Array.from({ length: 25 }, () => store.take(both)));
      expect(decisions.filter((d) => d.allowed).length).toBe(7);
      expect((await store.take(one('wide', 30))).remaining).toEqual([30 - 7 - 1]);
    });

    it('when several limits refuse, the wait is the longest and refusedBy the first', async () => {
      let now = 0;
      const store = await makeStore(() => now);
      await store.take([{ key: 'a', limit: 1, windowMs: 10_000 }, { key: 'b', limit: 1, windowMs: 30_000 }]);
      now = 1_000;
      const refused = await store.take([{ key: 'c', limit: 1, windowMs: 10_000 }, { key: 'a', limit: 1, windowMs: 10_000 }, { key: 'b', limit: 1, windowMs: 30_000 }]);
      expect([refused.allowed, refused.refusedBy, refused.retryAfterMs, refused.remaining]).toEqual([false, 1, 29_000, [1, 0, 0]]);
    });

    it('keys are opaque: separators, quotes and unicode name different budgets', async () => {
      const store = await makeStore(() => 1_000);
      const keys = ['["a:b","c"]', '["a","b:c"]', 'a b', 'a\nb', 'ü', '*', '{x}'];
      for (const key of keys) expect((await store.take(one(key, 1))).allowed).toBe(true);
      for (const key of keys) expect((await store.take(one(key, 1))).allowed).toBe(false);
    });

    it('fails closed on a limit below one, and rejects a caller bug (a key twice, no checks, a bad window)', async () => {
      const store = await makeStore(() => 1_000);
      const zero = await store.take([{ key: 'ok', limit: 5, windowMs: MINUTE }, { key: 'none', limit: 0, windowMs: MINUTE }]);
      expect([zero.allowed, zero.refusedBy]).toEqual([false, 1]);
      expect((await store.take(one('ok', 5))).remaining).toEqual([4]);
      expect(await rejects(store.take([...one('k', 5), ...one('k', 5)]))).toBe(true);
      expect(await rejects(store.take([]))).toBe(true);
      expect(await rejects(store.take(one('k', 5, 0)))).toBe(true);
      expect(await rejects(store.take(one('k', 1.5)))).toBe(true);
    });

    it('a clock stepping back counts as standing still', async () => {
      let now = 100_000;
      const store = await makeStore(() => now);
      expect((await store.take(one('k', 1, 10_000))).allowed).toBe(true);
      now = 95_000;
      expect(await store.take(one('k', 1, 10_000))).toEqual({ allowed: false, retryAfterMs: 10_000, refusedBy: 0, remaining: [0] });
    });

    it('a check with a cost is allowed when used + cost fits the limit; the wait is when enough units leave', async () => {
      let now = 0;
      const store = await makeStore(() => now);
      expect((await store.take(weighted('k', 10, 4))).remaining).toEqual([6]);
      now = 10_000;
      expect((await store.take(weighted('k', 10, 4))).remaining).toEqual([2]);
      now = 20_000;
      // 8 used: 3 more do not fit until the first entry (4 units, at 0) leaves, though the second would also do.
      expect(await store.take(weighted('k', 10, 3))).toEqual({ allowed: false, retryAfterMs: 40_000, refusedBy: 0, remaining: [0] });
      expect((await store.take(weighted('k', 10, 2))).remaining).toEqual([0]); // the refusal took nothing
      now = MINUTE - 1;
      expect((await store.take(weighted('k', 10, 1))).allowed).toBe(false);
      now = MINUTE;
      expect(await store.take(weighted('k', 10, 4))).toEqual({ allowed: true, retryAfterMs: 0, remaining: [0] });
    });

    it('under concurrency, weighted takes never exceed the limit', async () => {
      const store = await makeStore(() => 1_000);
      const decisions = await Promise.all(Array.from({ length: 30 }, () => store.take(weighted('k', 20, 3))));
      expect(decisions.filter((d) => d.allowed).length).toBe(6);
      expect((await store.take(weighted('k', 20, 2))).remaining).toEqual([0]);
    });

    it('a probe (cost 0) takes nothing, and is allowed while a unit is left', async () => {
      let now = 5_000;
      const store = await makeStore(() => now);
      await store.take(weighted('k', 3, 2));
      now = 6_000;
      for (let i = 0; i < 3; i++) expect(await store.take(weighted('k', 3, 0))).toEqual({ allowed: true, retryAfterMs: 0, remaining: [1] });
      expect((await store.take(weighted('k', 3, 1))).remaining).toEqual([0]);
      expect(await store.take(weighted('k', 3, 0))).toEqual({ allowed: false, retryAfterMs: 5_000 + MINUTE - now, refusedBy: 0, remaining: [0] });
      expect((await store.take(weighted('fresh', 3, 0))).remaining).toEqual([3]);
    });

    it('add records usage whatever the limit; checks refuse until enough of it leaves the window', async () => {
      let now = 1_000;
      const store = await makeStore(() => now);
      const HOUR = 60 * MINUTE;
      expect((await store.take(weighted('rows', 100, 0, HOUR))).allowed).toBe(true);
      await store.add(usage('rows', 250, HOUR)); // the read returned more than the quota: counted all the same
      now = 2_000;
      await store.add(usage('rows', 30, HOUR));
      expect(await store.take(weighted('rows', 100, 0, HOUR))).toEqual({ allowed: false, retryAfterMs: 1_000 + HOUR - now, refusedBy: 0, remaining: [0] });
      now = 1_000 + HOUR;
      expect(await store.take(weighted('rows', 100, 0, HOUR))).toEqual({ allowed: true, retryAfterMs: 0, remaining: [70] });
      await store.add(usage('rows', 0, HOUR)); // cost 0 records nothing
      expect((await store.take(weighted('rows', 100, 0, HOUR))).remaining).toEqual([70]);
      // Several keys in one add.
      await store.add([{ key: 'a', windowMs: MINUTE, cost: 5 }, { key: 'b', windowMs: MINUTE, cost: 7 }]);
      expect((await store.take([{ key: 'a', limit: 10, windowMs: MINUTE, cost: 0 }, { key: 'b', limit: 10, windowMs: MINUTE, cost: 0 }])).remaining).toEqual([5, 3]);
    });

    it('concurrent adds are all counted', async () => {
      const store = await makeStore(() => 1_000);
      await Promise.all(Array.from({ length: 40 }, () => store.add(usage('k', 3))));
      expect((await store.take(weighted('k', 200, 0))).remaining).toEqual([80]);
    });

    it('a cost above the limit never fits (fail closed, takes nothing); a bad cost or entry rejects', async () => {
      const store = await makeStore(() => 1_000);
      expect(await store.take([{ key: 'ok', limit: 5, windowMs: MINUTE }, { key: 'k', limit: 5, windowMs: 30_000, cost: 6 }])).toEqual({
        allowed: false, retryAfterMs: 30_000, refusedBy: 1, remaining: [5, 0],
      });
      expect((await store.take(weighted('k', 5, 5))).remaining).toEqual([0]);
      expect(await rejects(store.take(weighted('k', 5, -1)))).toBe(true);
      expect(await rejects(store.take(weighted('k', 5, 1.5)))).toBe(true);
      expect(await rejects(store.add([]))).toBe(true);
      expect(await rejects(store.add([...usage('k', 1), ...usage('k', 1)]))).toBe(true);
      expect(await rejects(store.add(usage('k', -1)))).toBe(true);
      expect(await rejects(store.add(usage('k', 1, 0)))).toBe(true);
    });

    it('for random costs, probes and adds, every decision and every wait match the weighted reference', async () => {
      for (let run = 0; run < 8; run++) {
        const random = seededRandom(1_000 + run);
        const limit = 1 + Math.floor(random() * 12);
        const windowMs = 1_000 * (10 + Math.floor(random() * 200));
        let now = Math.floor(random() * 1_000_000);
        const store = await makeStore(() => now);
        const entries: Array<{ at: number; cost: number }> = [];
        for (let call = 0; call < 40; call++) {
          now += Math.floor(random() * random() * windowMs * 0.5);
          const cost = Math.floor(random() * 5);
          if (random() < 0.2) {
            await store.add(usage('k', cost, windowMs));
            if (cost > 0) entries.push({ at: now, cost });
            continue;
          }
          const expected = weightedReference(entries, limit, windowMs, cost, now);
          const decision = await store.take(weighted('k', limit, cost, windowMs));
          expect([decision.allowed, decision.retryAfterMs], `run ${run}, call ${call}`).toEqual([expected.wait === 0, expected.wait]);
          if (decision.allowed && cost > 0) entries.push({ at: now, cost });
        }
      }
    }, 180_000);

    it('for random call times, no window ever holds more than the limit, and every refusal names the exact retry time', async () => {
      for (let run = 0; run < 12; run++) {
        const random = seededRandom(run);
        const limit = 1 + Math.floor(random() * 6);
        const windowMs = 1_000 * (10 + Math.floor(random() * 200));
        let now = Math.floor(random() * 1_000_000);
        const store = await makeStore(() => now);
        const allowedAt: number[] = [];
        for (let call = 0; call < 60; call++) {
          now += Math.floor(random() * random() * windowMs * 0.6); // bursts of equal timestamps and quiet gaps
          const decision = await store.take(one('k', limit, windowMs));
          const inWindow = allowedAt.filter((t) => t > now - windowMs).length;
          expect(decision.allowed, `run ${run}`).toBe(inWindow < limit); // neither looser nor stricter than the rule
          if (decision.allowed) {
            allowedAt.push(now);
            continue;
          }
          // The reference for a refusal: the limit-th most recent allowed event frees its unit windowMs later.
          expect(decision.retryAfterMs, `run ${run}`).toBe(allowedAt[allowedAt.length - limit]! + windowMs - now);
        }
        expect(busiestWindow(allowedAt, windowMs), `run ${run}`).toBeLessThanOrEqual(limit);
      }
    }, 180_000);
  });
}
