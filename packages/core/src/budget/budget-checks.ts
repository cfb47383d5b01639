import type { BudgetCheck, BudgetEntry } from '../spec/stores.js';

/**
 * Rejects what is a caller's bug rather than a refusal: nothing to do, an empty or repeated key, a
 * limit or cost that is not an integer (a cost below 0), a window that is not a positive integer.
 * Every store runs it first on `take(checks)` and `add(entries, 'add')`, so stores agree on what they
 * refuse to answer.
 */
export function assertBudgetChecks(checks: readonly BudgetCheck[]): void;
export function assertBudgetChecks(entries: readonly BudgetEntry[], use: 'add'): void;
export function assertBudgetChecks(items: ReadonlyArray<BudgetCheck | BudgetEntry>, use: 'take' | 'add' = 'take'): void {
  if (!Array.isArray(items) || items.length === 0) throw new TypeError(`${use}() needs at least one entry`);
  const keys = new Set<string>();
  for (const item of items as Array<Partial<BudgetCheck>>) {
    const { key, windowMs, cost = 1 } = item;
    if (typeof key !== 'string' || key === '') throw new TypeError('a budget key must be a non-empty string');
    if (keys.has(key)) throw new TypeError(`a budget key appears twice in one ${use}()`);
    keys.add(key);
    if (use === 'take' && !Number.isSafeInteger(item.limit)) throw new TypeError('a budget limit must be an integer');
    if (use === 'add' && item.cost === undefined) throw new TypeError('a budget entry needs a cost');
    if (!Number.isSafeInteger(cost) || cost < 0) throw new TypeError('a budget cost must be an integer of at least 0');
    if (!Number.isSafeInteger(windowMs) || windowMs! < 1) throw new TypeError('a budget window must be a positive integer of milliseconds');
  }
}
