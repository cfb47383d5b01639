import { describe, expect, it } from 'vitest';
import { MemoryBudgetStore } from './budget-store.js';

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

describe('MemoryBudgetStore', () => {
  it('allows exactly the limit under concurrency, and the next unit once the oldest leaves the window', async () => {
    let now = 120_000;
    const store = new MemoryBudgetStore(() => now);
    const decisions = await Promise.all(Array.from({ length: 50 }, () => store.consume('k', 20, MINUTE)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(20);
    expect(decisions.at(-1)).toEqual({ allowed: false, remaining: 0, retryAfterMs: MINUTE });
    expect((await store.consume('other', 20, MINUTE)).allowed).toBe(true);
    now += MINUTE;
    expect((await store.consume('k', 20, MINUTE)).allowed).toBe(true);
  });

  it('an agent bursting on both sides of a minute boundary gets the limit, not twice the limit', async () => {
    let now = 59_900;
    const store = new MemoryBudgetStore(() => now);
    let allowed = 0;
    for (let i = 0; i < 20; i++) if ((await store.consume('writes', 20, MINUTE)).allowed) allowed++;
    now = 60_100;
    for (let i = 0; i < 20; i++) if ((await store.consume('writes', 20, MINUTE)).allowed) allowed++;
    expect(allowed).toBe(20);
  });

  it('retryAfterMs is exactly when the next unit frees up: not a millisecond earlier', async () => {
    let now = 1_000;
    const store = new MemoryBudgetStore(() => now);
    for (let i = 0; i < 3; i++) {
      expect((await store.consume('k', 3, MINUTE)).allowed).toBe(true);
      now += 7_000;
    }
    const refused = await store.consume('k', 3, MINUTE);
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    expect(refused.retryAfterMs).toBe(1_000 + MINUTE - now);
    const at = now + refused.retryAfterMs;
    now = at - 1;
    expect((await store.consume('k', 3, MINUTE)).allowed).toBe(false);
    now = at;
    expect(await store.consume('k', 3, MINUTE)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('remaining counts what the window still allows', async () => {
    let now = 0;
    const store = new MemoryBudgetStore(() => now);
    expect((await store.consume('k', 3, 1_000)).remaining).toBe(2);
    now = 500;
    expect((await store.consume('k', 3, 1_000)).remaining).toBe(1);
    now = 1_000; // the first event has left the window
    expect((await store.consume('k', 3, 1_000)).remaining).toBe(1);
  });

  it('for random call times, no window of windowMs ever holds more than the limit, and every refusal names the exact retry time', async () => {
    for (let run = 0; run < 200; run++) {
      const random = seededRandom(run);
      const limit = 1 + Math.floor(random() * 6);
      const windowMs = 10 + Math.floor(random() * 200);
      let now = Math.floor(random() * 1_000);
      const store = new MemoryBudgetStore(() => now);
      const allowedAt: number[] = [];
      for (let call = 0; call < 150; call++) {
        now += Math.floor(random() * random() * windowMs * 0.6); // bursts of equal timestamps and quiet gaps
        const decision = await store.consume('k', limit, windowMs);
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
  });

  it('forgets keys that have been idle for a whole window', async () => {
    let now = 0;
    const store = new MemoryBudgetStore(() => now);
    for (let i = 0; i < 1_000; i++) await store.consume(`user-${i}`, 5, MINUTE);
    expect(store.size).toBe(1_000);
    now = MINUTE;
    await store.consume('late', 5, MINUTE);
    expect(store.size).toBe(1);
  });
});
