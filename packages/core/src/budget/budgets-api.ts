import type { BudgetsApi } from '../spec/ormai.js';
import type { Policy } from '../spec/policy.js';
import type { BudgetStore } from '../spec/stores.js';
import { budgetKey } from './budget-key.js';

/** Reads fail closed in PROD unless the policy's quotas say otherwise. */
export const onStoreFailureOf = (policy: Policy): BudgetsApi['onStoreFailure'] =>
  policy.quotas?.onStoreFailure ?? (policy.profile === 'prod' ? 'fail_closed' : 'continue');

/** `ormai.budgets`: the keyed store (see keyedBudgetStore) addressed by key parts. */
export function createBudgetsApi(keyed: BudgetStore, options: { shared: boolean; policy: Policy }): BudgetsApi {
  return {
    shared: options.shared,
    onStoreFailure: onStoreFailureOf(options.policy),
    take: async (checks) => keyed.take(checks.map(({ parts, ...check }) => ({ ...check, key: budgetKey(...parts) }))),
    add: async (entries) => keyed.add(entries.map(({ parts, ...entry }) => ({ ...entry, key: budgetKey(...parts) }))),
  };
}
