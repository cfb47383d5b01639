/**
 * Counts tool calls per run, so an agent loop that nobody capped still cannot query forever.
 * In memory, per tool set. A run idle for `idleMs` starts over; at most `maxRuns` runs are remembered
 * (least recently used forgotten first), and forgetting costs only the entries forgotten.
 */
export class ToolCallBudget {
  // Insertion order is recency order: every touch moves a run to the end.
  private readonly runs = new Map<string, { calls: number; touched: number }>();

  constructor(
    readonly maxToolCalls: number,
    private readonly idleMs = 15 * 60_000,
    private readonly maxRuns = 10_000,
  ) {
    if (!Number.isSafeInteger(maxToolCalls) || maxToolCalls < 1) throw new TypeError('maxToolCalls must be a positive integer');
  }

  /** Takes one call from the run's budget; false once it is spent. */
  take(runKey: string, now = Date.now()): boolean {
    const previous = this.runs.get(runKey);
    const run = previous && now - previous.touched <= this.idleMs ? previous : { calls: 0, touched: now };
    run.touched = now;
    this.runs.delete(runKey);
    this.runs.set(runKey, run);
    this.forget(now);
    if (run.calls >= this.maxToolCalls) return false;
    run.calls += 1;
    return true;
  }

  private forget(now: number) {
    for (const [key, run] of this.runs) {
      if (this.runs.size <= this.maxRuns && now - run.touched <= this.idleMs) break;
      this.runs.delete(key);
    }
  }
}
