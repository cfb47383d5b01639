/** The six probes of `ormai verify`, in the order they run and print. */
export const PROBES = ['cross-tenant', 'pii', 'budget', 'write', 'approval', 'audit'] as const;
export type ProbeName = (typeof PROBES)[number];

export type ProbeStatus = 'pass' | 'fail' | 'n/a';

/** One probe's outcome: how many tool calls it made, how many checks it ran, and the first failure's detail. */
export interface ProbeResult {
  probe: ProbeName;
  status: ProbeStatus;
  calls: number;
  checks: number;
  failures: number;
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

  result(calls: number): ProbeResult {
    const status: ProbeStatus = this.failures ? 'fail' : this.checks ? 'pass' : 'n/a';
    return { probe: this.probe, status, calls, checks: this.checks, failures: this.failures, firstFailure: this.firstFailure, note: this.notes.length ? this.notes.join('; ') : null };
  }
}
