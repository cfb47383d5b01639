import type { ChainProblem, OrmAI } from '@ormai/core';
import { table } from '../output.js';
import { AuditCommandError } from './errors.js';

export type ChainReport =
  | { ok: true; count: number; head: { seq: number; hash: string } | null }
  | { ok: false; count: number; brokenAt: number; problem: ChainProblem };

/** Walks the instance's audit chain (flushing its queue first); a sink without verification is unusable, not broken. */
export async function verifyChain(ormai: OrmAI): Promise<ChainReport> {
  if (!ormai.audit.enabled) throw new AuditCommandError('cannot_verify', 'the OrmAI instance has no audit trail (createOrmAI({ audit: { sink } }))');
  const result = await ormai.audit.verify().catch((error: unknown) => {
    throw new AuditCommandError('cannot_verify', `the audit chain cannot be verified: ${error instanceof Error ? error.message : String(error)}`);
  });
  return result.ok ? { ok: true, count: result.count, head: result.head } : { ok: false, count: result.count, brokenAt: result.seq, problem: result.problem };
}

/** What each problem means for whoever reads the output. */
const PROBLEMS: Record<ChainProblem, string> = {
  missing_record: 'a chained record is gone',
  digest_mismatch: 'a record was changed after it was sealed',
  payload_mismatch: 'a payload was changed or cleared without erasure',
  broken_link: 'a link does not follow from the one before (rewritten or the head moved back)',
  sequence_gap: 'links are missing',
  bad_checkpoint: 'the retention checkpoint is not authentic',
  truncated: 'the chain ends before its recorded head',
  unchained_record: 'a record sits beside the chain, neither linked nor queued',
};

export function formatChainReport(report: ChainReport): string {
  if (report.ok) {
    const head = report.head ? `${report.head.seq} (${report.head.hash.slice(0, 16)}…)` : 'none (empty chain)';
    return table(['audit chain', 'records verified', 'head'], [['pass', report.count, head]]);
  }
  return table(['audit chain', 'verified before the break', 'broken at seq', 'problem'], [['fail', report.count, report.brokenAt, `${report.problem}: ${PROBLEMS[report.problem]}`]]);
}
