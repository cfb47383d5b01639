/** Counts events per key in fixed time windows: the rate-limit primitive behind maxWritesPerMinute. */
export interface BudgetDecision {
  allowed: boolean;
  remaining: number;
  retryAfterMs: number;
}

export interface BudgetStore {
  /** Takes one unit from `key`'s budget of `limit` per `windowMs` window, atomically. */
  consume(key: string, limit: number, windowMs: number): Promise<BudgetDecision>;
}

/**
 * In-process store: exact under concurrency within one process (the check and the increment happen in
 * one synchronous step). Use a shared store (Redis) when more than one instance serves the same tenants.
 */
export class MemoryBudgetStore implements BudgetStore {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(private readonly clock: () => number = Date.now) {}

  async consume(key: string, limit: number, windowMs: number): Promise<BudgetDecision> {
    const now = this.clock();
    const start = now - (now % windowMs);
    let window = this.windows.get(key);
    if (!window || window.start !== start) {
      window = { start, count: 0 };
      this.windows.set(key, window);
      if (this.windows.size > 50_000) this.forgetBefore(start);
    }
    const retryAfterMs = start + windowMs - now;
    if (window.count >= limit) return { allowed: false, remaining: 0, retryAfterMs };
    window.count += 1;
    return { allowed: true, remaining: limit - window.count, retryAfterMs };
  }

  private forgetBefore(start: number) {
    for (const [key, window] of this.windows) if (window.start < start) this.windows.delete(key);
  }
}
