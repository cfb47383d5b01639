import type { BudgetCheck, BudgetDecision, BudgetEntry, BudgetStore } from '../spec/stores.js';
import { assertBudgetChecks } from './budget-checks.js';

/** One recorded use: when, and how many units. */
interface Entry {
  at: number;
  cost: number;
}

/** A key's entries still in its window, oldest first. */
interface KeyLog {
  entries: Entry[];
  windowMs: number;
}

/** Units in use at `now`, and how long until `check` fits (0: it fits now). */
function assess(log: KeyLog, check: BudgetCheck, now: number): { used: number; wait: number } {
  const live = log.entries.filter((e) => e.at > now - check.windowMs);
  const used = live.reduce((sum, e) => sum + e.cost, 0);
  const cost = check.cost ?? 1;
  // Never fits: fail closed.
  if (check.limit < 1 || cost > check.limit) return { used, wait: check.windowMs };
  // A probe (cost 0) needs one unit free; a take needs its cost.
  let excess = used + Math.max(cost, 1) - check.limit;
  if (excess <= 0) return { used, wait: 0 };
  for (const entry of live) {
    excess -= entry.cost;
    if (excess <= 0) return { used, wait: entry.at + check.windowMs - now };
  }
  return { used, wait: check.windowMs }; // unreachable while cost <= limit: the live entries hold `used`
}

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
    const states = this.prepare(checks).map((s) => ({ ...s, ...assess(s.log, s.check, s.now) }));
    const refusedBy = states.findIndex((s) => s.wait > 0);
    if (refusedBy >= 0) {
      return {
        allowed: false,
        retryAfterMs: Math.max(...states.map((s) => s.wait)),
        refusedBy,
        remaining: states.map((s) => (s.wait > 0 ? 0 : Math.max(0, s.check.limit - s.used))),
      };
    }
    for (const { check, log, now } of states) record(log, now, check.cost ?? 1, check.windowMs);
    return { allowed: true, retryAfterMs: 0, remaining: states.map((s) => Math.max(0, s.check.limit - s.used - (s.check.cost ?? 1))) };
  }

  async add(entries: readonly BudgetEntry[]): Promise<void> {
    assertBudgetChecks(entries, 'add');
    for (const { check, log, now } of this.prepare(entries)) record(log, now, check.cost, check.windowMs);
  }

  /** Each item's log and its time: a clock stepping back counts as standing still, so each log stays in order. */
  private prepare<T extends BudgetCheck | BudgetEntry>(items: readonly T[]) {
    const clockNow = this.clock();
    this.forgetIdle(clockNow);
    return items.map((check) => {
      const log = this.touch(check.key, check.windowMs);
      return { check, log, now: Math.max(clockNow, log.entries.at(-1)?.at ?? -Infinity) };
    });
  }

  /** The key's log, moved to the back of the use order. */
  private touch(key: string, windowMs: number): KeyLog {
    const log = this.logs.get(key) ?? { entries: [], windowMs };
    this.logs.delete(key);
    this.logs.set(key, log);
    log.windowMs = windowMs;
    return log;
  }

  /** Drops keys whose last entry has left its window: they constrain nothing. */
  private forgetIdle(now: number) {
    for (const [key, log] of this.logs) {
      const last = log.entries.at(-1);
      if (last !== undefined && last.at > now - log.windowMs) return;
      this.logs.delete(key);
    }
  }
}

/** Appends an entry (a cost of 0 records nothing) and drops the ones that left the window. */
function record(log: KeyLog, now: number, cost: number, windowMs: number) {
  if (cost > 0) log.entries.push({ at: now, cost });
  const firstLive = log.entries.findIndex((e) => e.at > now - windowMs);
  log.entries.splice(0, firstLive < 0 ? log.entries.length : firstLive);
}
