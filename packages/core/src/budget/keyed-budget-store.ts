import type { BudgetStore } from '../spec/stores.js';
import { hashBudgetKey } from './budget-key.js';

/**
 * The store as core uses it: every key is replaced by its HMAC before it leaves core, so a shared
 * store (Redis, Upstash: a vendor) never sees a tenant, user, session or request id.
 */
export function keyedBudgetStore(store: BudgetStore, key: Uint8Array): BudgetStore {
  const hashed = <T extends { key: string }>(items: readonly T[]): T[] => items.map((item) => ({ ...item, key: hashBudgetKey(key, item.key) }));
  return {
    specificationVersion: store.specificationVersion,
    take: async (checks) => store.take(hashed(checks)),
    add: async (entries) => store.add(hashed(entries)),
  };
}
