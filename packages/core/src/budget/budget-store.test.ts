import { describe, expect, it } from 'vitest';
import { MemoryBudgetStore } from './budget-store.js';

describe('MemoryBudgetStore', () => {
  it('allows exactly the limit per window, under concurrency, and resets with the next window', async () => {
    let now = 120_000;
    const store = new MemoryBudgetStore(() => now);
    const decisions = await Promise.all(Array.from({ length: 50 }, () => store.consume('k', 20, 60_000)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(20);
    expect(decisions.at(-1)).toEqual({ allowed: false, remaining: 0, retryAfterMs: 60_000 });
    expect((await store.consume('other', 20, 60_000)).allowed).toBe(true);
    now += 60_000;
    expect((await store.consume('k', 20, 60_000)).allowed).toBe(true);
  });
});
