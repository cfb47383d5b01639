import pc from 'picocolors';
import { table } from '../output.js';
import type { VerifyReport } from './run-verify.js';

/** The report as people read it: one row per probe, then the verdict. */
export function renderVerify(report: VerifyReport): string {
  const rows = report.probes.map((p) => [p.probe, p.status, p.calls, p.checks, p.failures, p.skipped, p.firstFailure ?? p.note ?? '']);
  const lines = [table(['probe', 'result', 'calls', 'checks', 'failures', 'skipped', 'first failure / note'], rows)];
  if (report.dataChanged.length) lines.push(pc.red(`data changed by the probes: ${report.dataChanged.join(', ')}`));
  const failed = report.probes.filter((p) => p.status === 'fail').map((p) => p.probe);
  if (report.skipped) lines.push(pc.yellow(skippedLine(report)));
  lines.push(report.ok ? pc.green(report.skipped ? 'no probe failed (skipped checks are not passes)' : 'all probes passed') : pc.red(`failed: ${[...failed, ...(report.dataChanged.length ? ['data unchanged'] : [])].join(', ')}`));
  lines.push(pc.dim(`policy ${report.policyHash}`));
  return lines.join('\n');
}

/** Why checks were skipped, and what covers those models instead, if anything. */
function skippedLine(report: VerifyReport): string {
  const head = `${report.skipped} checks skipped: the policy switches their generic tool off for the model`;
  return report.domainTools.length
    ? `${head}; left to domain tools (${report.domainTools.join(', ')}), which verify does not call: review them`
    : `${head}; no domain tool reaches them either`;
}
