import type { BudgetCheck } from '../spec/stores.js';

/**
 * Rejects what is a caller's bug rather than a refusal: no checks, an empty or repeated key, a limit
 * that is not an integer, a window that is not a positive integer. Every store runs it first, so
 * stores agree on what they refuse to answer.
 */
export function assertBudgetChecks(checks: readonly BudgetCheck[]): void {
  if (!Array.isArray(checks) || checks.length === 0) throw new TypeError('take() needs at least one check');
  const keys = new Set<string>();
  for (const { key, limit, windowMs } of checks) {
    if (typeof key !== 'string' || key === '') throw new TypeError('a budget key must be a non-empty string');
    if (keys.has(key)) throw new TypeError('a budget key appears twice in one take()');
    keys.add(key);
    if (!Number.isSafeInteger(limit)) throw new TypeError('a budget limit must be an integer');
    if (!Number.isSafeInteger(windowMs) || windowMs < 1) throw new TypeError('a budget window must be a positive integer of milliseconds');
  }
}
