import pc from 'picocolors';
import { table } from '../output.js';
import type { VerifyReport } from './run-verify.js';

/** The report as people read it: one row per probe, then the verdict. */
export function renderVerify(report: VerifyReport): string {
  const rows = report.probes.map((p) => [p.probe, p.status, p.calls, p.checks, p.failures, p.firstFailure ?? p.note ?? '']);
  const lines = [table(['probe', 'result', 'calls', 'checks', 'failures', 'first failure / note'], rows)];
  if (report.dataChanged.length) lines.push(pc.red(`data changed by the probes: ${report.dataChanged.join(', ')}`));
  const failed = report.probes.filter((p) => p.status === 'fail').map((p) => p.probe);
  lines.push(report.ok ? pc.green('all probes passed') : pc.red(`failed: ${[...failed, ...(report.dataChanged.length ? ['data unchanged'] : [])].join(', ')}`));
  lines.push(pc.dim(`policy ${report.policyHash}`));
  return lines.join('\n');
}
