import { table } from '../output.js';
import { duration } from './format.js';
import type { Review } from './review-data.js';

/** The terminal's view of the review: one line per section, the files hold the detail. */
export function reviewSummary(review: Review, files: { markdown: string; html: string }): string {
  const top = review.denials.byCode[0];
  const s = review.approvals.summary;
  const r = review.regression;
  const rows: Array<[string, string]> = [
    ['period', `${review.period.since.slice(0, 10)} to ${review.period.until.slice(0, 10)} (${review.period.days} days)`],
    ['calls', String(review.totals.calls)],
    ['denials', top ? `${review.totals.denials} (most: ${top.code} × ${top.count})` : '0'],
    ['longest call', review.longestCalls[0] ? `${duration(review.longestCalls[0].durationMs)} ${review.longestCalls[0].action}` : 'none'],
    ['writes', `${review.writes.entries.length}, ${review.writes.flagged} with a weak reason`],
    ['approvals', `${s.requests} requested, ${s.withinSla} within SLA, ${s.breached} breached or overdue, ${s.pending} pending`],
    ['policy hashes', String(review.policyHashes.length)],
    ['regression suite', r.provided ? (r.success ? 'pass' : 'fail') : 'not provided'],
  ];
  return `${table(['section', 'finding'], rows)}\n${files.markdown}\n${files.html}`;
}
