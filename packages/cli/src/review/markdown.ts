import { duration, principal, shortHash, sla, when } from './format.js';
import type { Review } from './review-data.js';

/** A table cell: pipes and newlines would break the row. */
const cell = (value: unknown): string => String(value ?? '').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function mdTable(columns: string[], rows: unknown[][], empty: string): string {
  if (rows.length === 0) return `_${empty}_`;
  return [`| ${columns.join(' | ')} |`, `| ${columns.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)].join('\n');
}

/** The review for the repository or the ticket: plain Markdown tables, the same sections as the HTML page. */
export function reviewMarkdown(review: Review): string {
  const { totals, approvals, regression } = review;
  const s = approvals.summary;
  const out: string[] = [
    `# OrmAI quarterly review`,
    '',
    `Period: ${when(review.period.since)} to ${when(review.period.until)} UTC (${review.period.days} days), audit chain \`${review.chain}\`.`,
    `Current policy hash: \`${review.currentPolicyHash}\`.`,
    '',
    `| calls | denials | writes | approval requests |`,
    `| --- | --- | --- | --- |`,
    `| ${totals.calls} | ${totals.denials} | ${totals.writes} | ${totals.approvalRequests} |`,
    '',
    '## Most common denials',
    '',
    mdTable(['code', 'denials', 'users'], review.denials.byCode.map((d) => [d.code, d.count, d.users]), 'no denials in the period'),
    '',
    '### By whom',
    '',
    mdTable(['principal', 'code', 'denials'], review.denials.byPrincipal.map((d) => [principal(d.tenantId, d.userId), d.code, d.count]), 'no denials in the period'),
    '',
    '## Longest-running calls',
    '',
    mdTable(
      ['duration', 'at', 'action', 'model', 'decision', 'principal'],
      review.longestCalls.map((c) => [duration(c.durationMs), when(c.at), c.action, c.model ?? '', c.decision, principal(c.tenantId, c.userId)]),
      'no calls in the period',
    ),
    '',
    '## Write log',
    '',
    `${review.writes.entries.length} write record(s), ${review.writes.flagged} with an empty or boilerplate reason (flags: empty, short, generic, repeated).` +
      (review.writes.truncated ? ' The log was cut at its limit: narrow the period to see the rest.' : ''),
    '',
    mdTable(
      ['at', 'principal', 'action', 'model', 'decision', 'rows', 'reason', 'flags'],
      review.writes.entries.map((w) => [
        when(w.at), principal(w.tenantId, w.userId), w.action, w.model ?? '', w.decision, w.rowsAffected ?? '',
        w.erased ? '(erased)' : (w.reason ?? ''), w.flags.length ? `⚠ ${w.flags.join(', ')}` : '',
      ]),
      'no writes in the period',
    ),
    '',
    '## Approval turnaround',
    '',
    `${s.requests} request(s): ${s.decided} decided, ${s.withinSla} within SLA, ${s.breached} breached or overdue, ${s.pending} pending. ` +
      `Median turnaround: ${s.medianTurnaroundMs === null ? 'n/a' : duration(s.medianTurnaroundMs)}. SLAs are read from the current policy's approval rules.`,
    '',
    mdTable(
      ['requested', 'approval', 'model', 'operation', 'requested by', 'outcome', 'turnaround', 'SLA', ''],
      approvals.requests.map((r) => [
        when(r.requestedAt), r.approvalId, r.model ?? '', r.operation ?? '', principal(r.tenantId, r.requestedBy), r.outcome,
        duration(r.turnaroundMs), duration(r.slaMs), sla(r.withinSla, r.outcome),
      ]),
      'no approval requests in the period',
    ),
    '',
    '## Policy changes',
    '',
    `${review.policyHashes.length} policy hash(es) answered calls in the period${review.policyHashes.length > 1 ? ': the policy changed' : ''}.`,
    '',
    mdTable(
      ['policy hash', 'calls', 'first seen', 'last seen', ''],
      review.policyHashes.map((p) => [`\`${shortHash(p.hash)}\``, p.calls, when(p.firstAt), when(p.lastAt), p.current ? 'current' : '']),
      'no calls in the period',
    ),
    '',
    '## Policy regression suite',
    '',
    regression.provided
      ? `${regression.success ? 'Passed' : '**Failed**'}: ${regression.passed} of ${regression.total} passed, ${regression.failed} failed, ${regression.skipped} skipped (\`${regression.file}\`).` +
        (regression.failures.length ? `\n\n${regression.failures.map((f) => `- ${cell(f)}`).join('\n')}` : '')
      : 'Not provided (pass `--regression-result <vitest JSON report>`).',
    '',
  ];
  return out.join('\n');
}
