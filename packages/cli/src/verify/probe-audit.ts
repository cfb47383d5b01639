import type { OrmAI, TenantRunContext } from '@ormai/core';
import { ProbeTally } from './probe-result.js';

/** How long the audit probe waits for records still being sealed into the chain (a SQL sink seals in the background). */
const SEAL_WAIT_MS = 5_000;

/** The number of records in the audit chain, or why it cannot be read. */
export async function auditCount(ormai: OrmAI<TenantRunContext>): Promise<{ count: number } | { problem: string }> {
  if (!ormai.audit.enabled) return { problem: 'audit is off: the config creates OrmAI without an audit sink' };
  try {
    const verified = await ormai.audit.verify();
    if (!verified.ok) return { problem: `the audit chain does not verify: ${verified.problem} at seq ${verified.seq}` };
    return { count: verified.count };
  } catch (error) {
    return { problem: `the audit chain cannot be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Probe 6: every probe call, allowed or refused, and every approval decision wrote exactly one audit
 * record: the chain grew by exactly that many (waiting briefly for background sealing).
 */
export async function probeAudit(ormai: OrmAI<TenantRunContext>, before: { count: number } | { problem: string }, calls: number): Promise<ProbeTally> {
  const tally = new ProbeTally('audit');
  if ('problem' in before) {
    tally.fail(before.problem);
    return tally;
  }
  const deadline = Date.now() + SEAL_WAIT_MS;
  let after = await auditCount(ormai);
  while ('count' in after && after.count - before.count < calls && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    after = await auditCount(ormai);
  }
  if ('problem' in after) {
    tally.fail(after.problem);
    return tally;
  }
  const written = after.count - before.count;
  tally.check(written === calls, () => `${calls} probe calls wrote ${written} audit records`);
  return tally;
}
