/**
 * Counts tool calls per run, so an agent loop that nobody capped still cannot query forever.
 * In memory, per tool set; idle runs are forgotten after an hour so the map stays bounded.
 */
export class ToolCallBudget {
  private readonly runs = new Map<string, { calls: number; touched: number }>();

  constructor(
    readonly maxToolCalls: number,
    private readonly idleMs = 3_600_000,
  ) {}

  /** Takes one call from the run's budget; false once it is spent. */
  take(runKey: string, now = Date.now()): boolean {
    if (this.runs.size > 10_000) this.forgetIdle(now);
    const run = this.runs.get(runKey) ?? { calls: 0, touched: now };
    run.touched = now;
    this.runs.set(runKey, run);
    if (run.calls >= this.maxToolCalls) return false;
    run.calls += 1;
    return true;
  }

  private forgetIdle(now: number) {
    for (const [key, run] of this.runs) if (now - run.touched > this.idleMs) this.runs.delete(key);
  }
}
