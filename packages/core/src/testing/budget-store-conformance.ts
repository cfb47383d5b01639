import type { BudgetCheck, BudgetStore } from '../spec/stores.js';

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
