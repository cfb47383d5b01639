/** The six probes of `ormai verify`, in the order they run and print. */
export const PROBES = ['cross-tenant', 'pii', 'budget', 'write', 'approval', 'audit'] as const;
export type ProbeName = (typeof PROBES)[number];

/** `skipped`: every check this probe would run needs a generic tool the policy switches off for that model. */
export type ProbeStatus = 'pass' | 'fail' | 'skipped' | 'n/a';

/** One probe's outcome: how many tool calls it made, how many checks it ran, and the first failure's detail. */
export interface ProbeResult {
  probe: ProbeName;
  status: ProbeStatus;
  calls: number;
  checks: number;
  failures: number;
  /** Checks not run because the policy switches their generic tool off for the model (never counted as passed). */
  skipped: number;
  firstFailure: string | null;
  /** Why a probe is n/a, or what it could not cover. */
  note: string | null;
}

/** Accumulates one probe's checks; `result()` decides its status. */
export class ProbeTally {
  checks = 0;
  failures = 0;
  firstFailure: string | null = null;
  notes: string[] = [];
  skips: string[] = [];

  constructor(readonly probe: ProbeName) {}

  check(ok: boolean, detail: () => string): boolean {
    this.checks++;
    if (!ok) {
      this.failures++;
      this.firstFailure ??= detail();
    }
    return ok;
  }

  fail(detail: string): void {
    this.check(false, () => detail);
  }

  note(text: string): void {
    this.notes.push(text);
  }

  /** A check not run: `what` (a tool and model) is switched off by the policy. */
  skip(what: string): void {
    this.skips.push(what);
  }

  result(calls: number): ProbeResult {
    const status: ProbeStatus = this.failures ? 'fail' : this.checks ? 'pass' : this.skips.length ? 'skipped' : 'n/a';
    const notes = this.skips.length ? [`skipped, tool switched off for the model: ${this.skips.join(', ')}`, ...this.notes] : this.notes;
    return { probe: this.probe, status, calls, checks: this.checks, failures: this.failures, skipped: this.skips.length, firstFailure: this.firstFailure, note: notes.length ? notes.join('; ') : null };
  }
}
