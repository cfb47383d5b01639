/** The rate-limit primitive behind maxWritesPerMinute. */
export interface BudgetDecision {
  allowed: boolean;
  remaining: number;
  retryAfterMs: number;
}

export interface BudgetStore {
  /**
   * Takes one unit from `key`'s budget, atomically, as a sliding-window log: a call at time `now` is
   * allowed when fewer than `limit` calls were allowed in `(now - windowMs, now]`, so no interval of
   * `windowMs` ever holds more than `limit` allowed calls. A refusal's `retryAfterMs` is when the oldest
   * of the last `limit` allowed calls leaves the window (a call then succeeds, one a millisecond before
   * does not); refused calls take nothing. State: the last `limit` allowed timestamps per key.
   */
  consume(key: string, limit: number, windowMs: number): Promise<BudgetDecision>;
}

/** The times of a key's last allowed calls, oldest first, at most `limit` of them. */
interface KeyLog {
  allowedAt: number[];
  windowMs: number;
}

/**
 * In-process store: exact under concurrency within one process (the check and the take happen in one
 * synchronous step). Use a shared store (Redis) when more than one instance serves the same tenants.
 */
export class MemoryBudgetStore implements BudgetStore {
  // In order of last use, so idle keys are found at the front.
  private readonly logs = new Map<string, KeyLog>();
  constructor(private readonly clock: () => number = Date.now) {}

  /** Keys currently remembered (idle ones are forgotten after their window). */
  get size(): number {
    return this.logs.size;
  }

  async consume(key: string, limit: number, windowMs: number): Promise<BudgetDecision> {
    const clockNow = this.clock();
    this.forgetIdle(clockNow);
    const log = this.logs.get(key) ?? { allowedAt: [], windowMs };
    // A clock stepping back counts as standing still, so the log stays in order.
    const now = Math.max(clockNow, log.allowedAt.at(-1) ?? -Infinity);
    this.logs.delete(key);
    this.logs.set(key, log);
    log.windowMs = windowMs;

    if (!(limit >= 1)) return { allowed: false, remaining: 0, retryAfterMs: windowMs }; // fail closed on a broken limit
    const times = log.allowedAt;
    const oldestCounted = times.length >= limit ? times[times.length - limit]! : undefined;
    if (oldestCounted !== undefined && oldestCounted > now - windowMs) {
      return { allowed: false, remaining: 0, retryAfterMs: oldestCounted + windowMs - now };
    }
    times.push(now);
    if (times.length > limit) times.splice(0, times.length - limit);
    const stillCounted = times.filter((t) => t > now - windowMs).length;
    return { allowed: true, remaining: limit - stillCounted, retryAfterMs: 0 };
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
