import type { BudgetCheck, BudgetDecision, BudgetStore } from '../spec/stores.js';
import { assertBudgetChecks } from './budget-checks.js';

/** The times of a key's last allowed calls, oldest first, at most `limit` of them. */
interface KeyLog {
  allowedAt: number[];
  windowMs: number;
}

/** How long until `check` allows a call at `now` (0: it allows one now). A limit below 1 never does: fail closed. */
function waitOf(log: KeyLog, check: BudgetCheck, now: number): number {
  if (check.limit < 1) return check.windowMs;
  const times = log.allowedAt;
  const oldestCounted = times.length >= check.limit ? times[times.length - check.limit]! : undefined;
  return oldestCounted !== undefined && oldestCounted > now - check.windowMs ? oldestCounted + check.windowMs - now : 0;
}

const counted = (log: KeyLog, windowMs: number, now: number) => log.allowedAt.filter((t) => t > now - windowMs).length;

/**
 * In-process store: exact under concurrency within one process (the checks and the takes happen in
 * one synchronous step). Use a shared store (Redis, Upstash) when more than one instance serves the
 * same tenants.
 */
export class MemoryBudgetStore implements BudgetStore {
  readonly specificationVersion = 'v1';
  // In order of last use, so idle keys are found at the front.
  private readonly logs = new Map<string, KeyLog>();
  constructor(private readonly clock: () => number = Date.now) {}

  /** Keys currently remembered (idle ones are forgotten after their window). */
  get size(): number {
    return this.logs.size;
  }

  async take(checks: readonly BudgetCheck[]): Promise<BudgetDecision> {
    assertBudgetChecks(checks);
    const clockNow = this.clock();
    this.forgetIdle(clockNow);
    const states = checks.map((check) => {
      const log = this.touch(check.key, check.windowMs);
      // A clock stepping back counts as standing still, so each log stays in order.
      const now = Math.max(clockNow, log.allowedAt.at(-1) ?? -Infinity);
      return { check, log, now, wait: waitOf(log, check, now) };
    });
    const refusedBy = states.findIndex((s) => s.wait > 0);
    if (refusedBy >= 0) {
      return {
        allowed: false,
        retryAfterMs: Math.max(...states.map((s) => s.wait)),
        refusedBy,
        remaining: states.map((s) => (s.wait > 0 ? 0 : s.check.limit - counted(s.log, s.check.windowMs, s.now))),
      };
    }
    for (const { check, log, now } of states) {
      log.allowedAt.push(now);
      if (log.allowedAt.length > check.limit) log.allowedAt.splice(0, log.allowedAt.length - check.limit);
    }
    return { allowed: true, retryAfterMs: 0, remaining: states.map((s) => s.check.limit - counted(s.log, s.check.windowMs, s.now)) };
  }

  /** The key's log, moved to the back of the use order. */
  private touch(key: string, windowMs: number): KeyLog {
    const log = this.logs.get(key) ?? { allowedAt: [], windowMs };
    this.logs.delete(key);
    this.logs.set(key, log);
    log.windowMs = windowMs;
    return log;
  }

  /** Drops keys whose last allowed call has left its window: they constrain nothing. */
  private forgetIdle(now: number) {
    for (const [key, log] of this.logs) {
      const last = log.allowedAt.at(-1);
      if (last !== undefined && last > now - log.windowMs) return;
      this.logs.delete(key);
    }
  }
}
