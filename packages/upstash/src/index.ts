// Edge-safe entry: no Node built-ins. The ioredis store is in `@ormai/upstash/node`.
export { upstashBudgetStore } from './upstash-budget-store.js';
export { scriptBudgetStore } from './script-budget-store.js';
export type { RunScript, ScriptBudgetStoreOptions } from './script-budget-store.js';
export { SLIDING_WINDOW_SCRIPT } from './sliding-window-script.js';
