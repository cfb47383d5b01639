import { assertBudgetChecks, type BudgetCheck, type BudgetDecision, type BudgetStore } from '@ormai/core';

/** What `add` records (core's `BudgetEntry`). */
type BudgetEntry = Parameters<BudgetStore['add']>[0][number];

/** Runs the sliding-window script once, by whatever client a store has: one round trip. */
export type RunScript = (keys: string[], args: string[]) => Promise<unknown>;

export interface ScriptBudgetStoreOptions {
  /** Prepended to every key, so several apps (or test runs) can share one database. Default 'ormai:budget:'. */
  prefix?: string;
  /** A call slower than this rejects, and callers fail closed. Default 1000 ms. */
  timeoutMs?: number;
  /** For tests: the time in ms, sent with each call. Default: the server's clock (Redis TIME), one clock for every instance. */
  clock?: () => number;
}

class BudgetStoreTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`the budget store did not answer within ${timeoutMs} ms`);
    this.name = 'BudgetStoreTimeout';
  }
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BudgetStoreTimeout(timeoutMs)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The script's reply, checked: anything unexpected rejects rather than allowing. */
function decisionOf(reply: unknown, checks: number): BudgetDecision {
  const ok = Array.isArray(reply) && reply.length === 3 + checks && reply.every((n) => typeof n === 'number' && Number.isSafeInteger(n));
  if (!ok) throw new TypeError('unexpected reply from the budget script');
  const [allowed, retryAfterMs, refusedBy, ...remaining] = reply as number[];
  if (allowed === 1) return { allowed: true, retryAfterMs: 0, remaining };
  return { allowed: false, retryAfterMs: retryAfterMs!, refusedBy: refusedBy! - 1, remaining };
}

/** A `BudgetStore` over any Redis client able to run the script: the Upstash and ioredis stores are this plus a `run`. */
export function scriptBudgetStore(run: RunScript, options: ScriptBudgetStoreOptions = {}): BudgetStore {
  const { prefix = 'ormai:budget:', timeoutMs = 1_000, clock } = options;
  const call = (mode: 'take' | 'add', items: ReadonlyArray<BudgetCheck | BudgetEntry>) => {
    const keys = items.map((item) => prefix + item.key);
    const args = [clock ? String(clock()) : '', mode, ...items.flatMap((item) => ['limit' in item ? String(item.limit) : '0', String(item.windowMs), String(item.cost ?? 1)])];
    return withTimeout(run(keys, args), timeoutMs).then((reply) => decisionOf(reply, items.length));
  };
  return {
    specificationVersion: 'v1',
    async take(checks: readonly BudgetCheck[]): Promise<BudgetDecision> {
      assertBudgetChecks(checks);
      return call('take', checks);
    },
    async add(entries: readonly BudgetEntry[]): Promise<void> {
      assertBudgetChecks(entries, 'add');
      await call('add', entries);
    },
  };
}
