import type { Budgets, PartialBudgets } from '../spec/policy.js';

/**
 * Layers budget overrides over a complete set, later ones winning. An `undefined` value overrides
 * nothing: with a plain spread, `{ maxRows: undefined }` in a model's budgets would erase the row limit.
 */
export function mergeBudgets(base: Budgets, ...overrides: Array<PartialBudgets | undefined>): Budgets {
  const merged = { ...base };
  for (const override of overrides) {
    for (const key of Object.keys(merged) as Array<keyof Budgets>) {
      const value = override?.[key];
      if (value !== undefined) merged[key] = value;
    }
  }
  return merged;
}
