import { fileURLToPath } from 'node:url';
import { runCliIn } from './test-support/run-cli.js';
import { describe, expect, it } from 'vitest';
import type { VerifyReport } from './verify/run-verify.js';

const QUICKSTART = fileURLToPath(new URL('../../../examples/quickstart/', import.meta.url));

/** The real binary, from source, run in the quickstart folder: it finds `ormai.config.ts` there itself. */
const ormaiInQuickstart = (...args: string[]) => runCliIn(QUICKSTART, args);

// The process compiles TypeScript and seeds the demo shop: give it room on a loaded CI machine.
describe('ormai verify against the quickstart demo (examples/quickstart/ormai.config.ts)', { timeout: 120_000 }, () => {
  it('passes all six probes, leaves the data unchanged and exits 0', async () => {
    const { code, stdout, stderr } = await ormaiInQuickstart('verify', '--json');
    expect(stdout.trimStart().startsWith('{'), stderr).toBe(true);
    const report = JSON.parse(stdout) as VerifyReport;
    const status = Object.fromEntries(report.probes.map((p) => [p.probe, p.status]));
    expect(status).toEqual({ 'cross-tenant': 'pass', pii: 'pass', budget: 'pass', write: 'pass', approval: 'pass', audit: 'pass' });
    // Real calls behind each pass (the audit probe counts their records): the demo's Order writes were
    // sent without a reason, and its large-refund rule was tripped, then denied by the config's approver.
    for (const probe of ['cross-tenant', 'pii', 'budget', 'write', 'approval']) expect(report.probes.find((p) => p.probe === probe)!.calls).toBeGreaterThan(0);
    expect(report.dataChanged).toEqual([]);
    expect(report.ok).toBe(true);
    expect(code).toBe(0);
  });
});
