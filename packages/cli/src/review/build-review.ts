import type { OrmAI } from '@ormai/core';
import type { AuditSource } from '../audit/audit-source.js';
import { approvalTurnaround, summarizeApprovals } from './approvals.js';
import { MAX_WRITES, ReviewQueries } from './collect.js';
import { flagReasons } from './reasons.js';
import type { RegressionResult } from './regression.js';
import type { Review, WriteEntry } from './review-data.js';

export const DAY_MS = 86_400_000;

export interface ReviewOptions {
  days: number;
  /** The end of the period (exclusive); default now. */
  now?: number | undefined;
  regression: RegressionResult;
}

/** The quarterly review of the last `days` days, from the audit tables and the instance's current policy. */
export async function buildReview(source: AuditSource, ormai: Pick<OrmAI, 'policy' | 'policyHash'>, options: ReviewOptions): Promise<Review> {
  const until = options.now ?? Date.now();
  const since = until - options.days * DAY_MS;
  const q = new ReviewQueries(source, { since, until });
  const [totals, byCode, byPrincipal, longestCalls, writeRows, requests, events, policyHashes] = await Promise.all([
    q.totals(), q.denialsByCode(), q.denialsByPrincipal(), q.longestCalls(), q.writes(), q.approvalRequests(), q.approvalEvents(), q.policyHashes(ormai.policyHash),
  ]);
  const writes = flagReasons(
    writeRows.slice(0, MAX_WRITES).map((r): Omit<WriteEntry, 'flags'> => ({
      id: String(r.id),
      at: new Date(Number(r.at)).toISOString(),
      action: String(r.action),
      model: r.model === null ? null : String(r.model),
      decision: String(r.decision),
      tenantId: r.tenant_id === null ? null : String(r.tenant_id),
      userId: r.user_id === null ? null : String(r.user_id),
      rowsAffected: r.rows_affected === null ? null : Number(r.rows_affected),
      reason: r.reason === null || r.reason === undefined ? null : String(r.reason),
      erased: r.erased_at !== null && r.erased_at !== undefined,
      approvalId: r.approval_id === null ? null : String(r.approval_id),
    })),
  );
  const turnaround = approvalTurnaround(ormai.policy, requests, events, until);
  return {
    generatedAt: new Date(until).toISOString(),
    period: { days: options.days, since: new Date(since).toISOString(), until: new Date(until).toISOString() },
    chain: source.chain,
    currentPolicyHash: ormai.policyHash,
    totals,
    denials: { byCode, byPrincipal },
    longestCalls,
    writes: { entries: writes, flagged: writes.filter((w) => w.flags.length > 0).length, truncated: writeRows.length > MAX_WRITES },
    approvals: { summary: summarizeApprovals(turnaround), requests: turnaround },
    policyHashes,
    regression: options.regression,
  };
}
