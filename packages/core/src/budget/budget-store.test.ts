import { describe, expect, it } from 'vitest';
import { budgetStoreConformance } from '../testing.js';
import { budgetKey } from './budget-key.js';
import { MemoryBudgetStore } from './budget-store.js';

budgetStoreConformance({ describe, it, expect }, 'MemoryBudgetStore', (clock) => new MemoryBudgetStore(clock));

describe('MemoryBudgetStore', () => {
  it('forgets keys that have been idle for a whole window', async () => {
    let now = 0;
    const store = new MemoryBudgetStore(() => now);
    for (let i = 0; i < 1_000; i++) await store.take([{ key: `user-${i}`, limit: 5, windowMs: 60_000 }]);
    expect(store.size).toBe(1_000);
    now = 60_000;
    await store.take([{ key: 'late', limit: 5, windowMs: 60_000 }]);
    expect(store.size).toBe(1);
  });
});

describe('budgetKey', () => {
  it('never gives two different part lists the same key', () => {
    const lists = [['a:b', 'c'], ['a', 'b:c'], ['a', 'b', 'c'], [null, 'x'], ['null', 'x'], ['a"', 'b'], ['a', '"b']];
    expect(new Set(lists.map((parts) => budgetKey(...parts))).size).toBe(lists.length);
  });
});
