import { createHash } from 'node:crypto';
import type { BudgetStore } from '@ormai/core';
import type { Redis } from 'ioredis';
import { scriptBudgetStore, type ScriptBudgetStoreOptions } from './script-budget-store.js';
import { SLIDING_WINDOW_SCRIPT } from './sliding-window-script.js';

const SCRIPT_SHA = createHash('sha1').update(SLIDING_WINDOW_SCRIPT).digest('hex');

/**
 * A shared `BudgetStore` on a plain Redis through ioredis (Node runtime): the same script and
 * semantics as the Upstash store, one round trip per check (EVALSHA, EVAL when not cached yet).
 * A slow, queued or failed call rejects after `timeoutMs` and OrmAI refuses the write.
 */
export function ioredisBudgetStore(redis: Redis, options: ScriptBudgetStoreOptions = {}): BudgetStore {
  return scriptBudgetStore(async (keys, args) => {
    try {
      return await redis.evalsha(SCRIPT_SHA, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return await redis.eval(SLIDING_WINDOW_SCRIPT, keys.length, ...keys, ...args);
    }
  }, options);
}
