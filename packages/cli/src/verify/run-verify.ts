import type { OrmAI, TenantRunContext } from '@ormai/core';
import { probeApproval } from './probe-approval.js';
import { auditCount, probeAudit } from './probe-audit.js';
import { probeBudget } from './probe-budget.js';
import { probeCrossTenant } from './probe-cross-tenant.js';
import { probePii } from './probe-pii.js';
import type { ProbeName, ProbeResult } from './probe-result.js';
import type { ProbeTally } from './probe-result.js';
import { openSession, type Principals, type ProbeSession } from './probe-session.js';
import { rawRows, snapshotText } from './raw-rows.js';
import { probeWrite } from './probe-write.js';

export interface VerifyReport {
  ok: boolean;
  policyHash: string;
  probes: ProbeResult[];
  /** Models whose rows differ after the probes (they must leave the data as they found it). */
  dataChanged: string[];
  /** Checks not run, summed over the probes: their generic tool is switched off for the model. */
  skipped: number;
  /** The config's domain tools: offered to the agent, not probed (their inputs are the app's own). */
  domainTools: string[];
}

const STEPS: Array<[ProbeName, (session: ProbeSession) => Promise<ProbeTally>]> = [
  ['cross-tenant', probeCrossTenant],
  ['pii', probePii],
  ['budget', probeBudget],
  ['write', probeWrite],
  ['approval', probeApproval],
];

/** Runs the six probes against an OrmAI instance; `onProbe` hears each probe start (progress). */
export async function runVerify(ormai: OrmAI<TenantRunContext>, principals: Principals, onProbe: (probe: ProbeName) => void = () => {}): Promise<VerifyReport> {
  const session = await openSession(ormai, principals);
  const before = await snapshotAll(session);
  const auditBefore = await auditCount(ormai);
  const probes: ProbeResult[] = [];
  for (const [name, probe] of STEPS) {
    onProbe(name);
    const calls = session.calls;
    const tally = await probe(session);
    probes.push(tally.result(session.calls - calls));
  }
  onProbe('audit');
  probes.push((await probeAudit(ormai, auditBefore, session.calls)).result(0));
  const after = await snapshotAll(session);
  const dataChanged = [...before.keys()].filter((model) => before.get(model) !== after.get(model));
  const skipped = probes.reduce((sum, p) => sum + p.skipped, 0);
  return { ok: probes.every((p) => p.status !== 'fail') && !dataChanged.length, policyHash: ormai.policyHash, probes, dataChanged, skipped, domainTools: session.domainTools };
}

async function snapshotAll(session: ProbeSession): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const model of session.bound.modelNames) texts.set(model, snapshotText(await rawRows(session.ormai.adapter, session.schema, model)));
  return texts;
}
