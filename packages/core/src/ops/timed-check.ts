import type { HealthProblem } from '../spec/health.js';

export type CheckOutcome = { ok: true; latencyMs: number } | { ok: false; latencyMs: null; problem: HealthProblem };

/**
 * Runs one probe against a deadline; never rejects. Wall-clock time on purpose: an instance's injected
 * clock may be a test's fake one, and latency is about the real world.
 */
export function timedCheck(probe: () => Promise<unknown>, timeoutMs: number): Promise<CheckOutcome> {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, latencyMs: null, problem: 'timeout' }), timeoutMs);
  });
  const answer = Promise.resolve()
    .then(probe)
    .then(
      (): CheckOutcome => ({ ok: true, latencyMs: Date.now() - started }),
      (): CheckOutcome => ({ ok: false, latencyMs: null, problem: 'failed' }),
    );
  return Promise.race([answer, deadline]).finally(() => clearTimeout(timer));
}
