import type { BudgetStore } from '@ormai/core';
import type { Redis } from '@upstash/redis';
import { scriptBudgetStore, type ScriptBudgetStoreOptions } from './script-budget-store.js';
import { SLIDING_WINDOW_SCRIPT } from './sliding-window-script.js';

/**
 * A shared `BudgetStore` on Upstash Redis over REST: edge-safe, one request per check (EVALSHA, EVAL
 * when the script is not cached yet). Unlike `@upstash/ratelimit`, a slow or failed call rejects
 * after `timeoutMs` and OrmAI refuses the write: it never fails open.
 */
export function upstashBudgetStore(redis: Redis, options: ScriptBudgetStoreOptions = {}): BudgetStore {
  const script = redis.createScript<unknown>(SLIDING_WINDOW_SCRIPT);
  return scriptBudgetStore((keys, args) => script.exec(keys, args), options);
}
