// Node entry: the store for a plain Redis through ioredis (a peer dependency).
export { ioredisBudgetStore } from './ioredis-budget-store.js';
export type { ScriptBudgetStoreOptions } from './script-budget-store.js';
