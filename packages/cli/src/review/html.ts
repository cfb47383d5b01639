import { escapeHtml as h } from './escape.js';
import { duration, principal, shortHash, sla, when } from './format.js';
import type { Review } from './review-data.js';
import { barChart } from './svg-charts.js';

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2430; margin: 0; background: #f5f6f8; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
h1 { margin: 0 0 4px; font-size: 24px; } h2 { margin: 32px 0 8px; font-size: 18px; border-bottom: 1px solid #dde1e7; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; } .meta { color: #5b6472; margin: 0 0 16px; } code { font-size: 12px; background: #eef0f3; padding: 1px 4px; border-radius: 3px; }
.totals { display: flex; gap: 12px; margin: 12px 0; } .totals div { flex: 1; border: 1px solid #dde1e7; border-radius: 6px; padding: 8px 12px; }
.totals b { display: block; font-size: 22px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 13px; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eceef2; vertical-align: top; }
th { background: #f0f2f5; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.flag { color: #a4271b; font-weight: 600; } .ok { color: #1f7a3a; } .bad { color: #a4271b; font-weight: 600; } .empty { color: #5b6472; font-style: italic; }
svg.chart { display: block; margin: 8px 0 12px; max-width: 100%; height: auto; }
svg.chart .label, svg.chart .value { font: 12px system-ui, sans-serif; fill: #1d2430; }
svg.chart .bar.neutral { fill: #4b7bd1; } svg.chart .bar.ok { fill: #3a9a5b; } svg.chart .bar.bad { fill: #c8463a; }
svg.chart .marker { stroke: #1d2430; stroke-width: 2; stroke-dasharray: 3 2; }
`;

function table(columns: string[], rows: Array<Array<string | { html: string; num?: boolean; cls?: string }>>, empty: string, id: string): string {
  if (rows.length === 0) return `<p class="empty" id="${id}">${h(empty)}</p>`;
  const td = (c: (typeof rows)[number][number]) =>
    typeof c === 'string' ? `<td>${h(c)}</td>` : `<td${c.num ? ' class="num"' : c.cls ? ` class="${c.cls}"` : ''}>${c.html}</td>`;
  return `<table id="${id}"><thead><tr>${columns.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map(td).join('')}</tr>`).join('')}</tbody></table>`;
}

const n = (value: number | string | null) => ({ html: h(value ?? ''), num: true });

/** The review as one self-contained page: inline CSS and SVG, no script, no external asset; every log value escaped. */
export function reviewHtml(review: Review): string {
  const { totals, approvals, regression } = review;
  const s = approvals.summary;
  const denialChart = review.denials.byCode.length
    ? barChart('Denials by code', review.denials.byCode.map((d) => ({ label: d.code, value: d.count, text: String(d.count), tone: 'bad' as const })))
    : '';
  const callsChart = review.longestCalls.length
    ? barChart('Longest-running calls', review.longestCalls.map((c) => ({ label: `${c.action} ${c.model ?? ''}`.trim(), value: c.durationMs, text: duration(c.durationMs) })))
    : '';
  const decided = approvals.requests.filter((r) => r.turnaroundMs !== null);
  const approvalChart = decided.length
    ? barChart('Approval turnaround against SLA (dashed line)', decided.map((r) => ({
        label: `${r.approvalId} ${r.model ?? ''}`.trim(), value: r.turnaroundMs!, text: duration(r.turnaroundMs), marker: r.slaMs,
        tone: r.withinSla === false ? ('bad' as const) : r.withinSla ? ('ok' as const) : ('neutral' as const),
      })))
    : '';
  const regressionHtml = regression.provided
    ? `<p id="regression" class="${regression.success ? 'ok' : 'bad'}">${regression.success ? 'Passed' : 'Failed'}: ${regression.passed} of ${regression.total} passed, ` +
      `${regression.failed} failed, ${regression.skipped} skipped (<code>${h(regression.file)}</code>).</p>` +
      (regression.failures.length ? `<ul>${regression.failures.map((f) => `<li>${h(f)}</li>`).join('')}</ul>` : '')
    : '<p id="regression" class="empty">Not provided (pass <code>--regression-result &lt;vitest JSON report&gt;</code>).</p>';

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>OrmAI quarterly review ${h(when(review.period.since))} to ${h(when(review.period.until))}</title><style>${STYLE}</style></head>
<body><main>
<h1>OrmAI quarterly review</h1>
<p class="meta">${h(when(review.period.since))} to ${h(when(review.period.until))} UTC (${review.period.days} days) · audit chain <code>${h(review.chain)}</code> · current policy <code>${h(shortHash(review.currentPolicyHash))}</code></p>
<div class="totals"><div><b>${totals.calls}</b>calls</div><div><b>${totals.denials}</b>denials</div><div><b>${totals.writes}</b>writes</div><div><b>${totals.approvalRequests}</b>approval requests</div></div>

<section id="denials"><h2>Most common denials</h2>${denialChart}
${table(['code', 'denials', 'users'], review.denials.byCode.map((d) => [d.code, n(d.count), n(d.users)]), 'No denials in the period.', 'denials-by-code')}
<h3>By whom</h3>
${table(['principal', 'code', 'denials'], review.denials.byPrincipal.map((d) => [principal(d.tenantId, d.userId), d.code, n(d.count)]), 'No denials in the period.', 'denials-by-principal')}
</section>

<section id="longest"><h2>Longest-running calls</h2>${callsChart}
${table(['duration', 'at', 'action', 'model', 'decision', 'principal'], review.longestCalls.map((c) => [n(duration(c.durationMs)), when(c.at), c.action, c.model ?? '', c.decision, principal(c.tenantId, c.userId)]), 'No calls in the period.', 'longest-calls')}
</section>

<section id="writes"><h2>Write log</h2>
<p>${review.writes.entries.length} write record(s), <span class="${review.writes.flagged ? 'flag' : 'ok'}">${review.writes.flagged} with an empty or boilerplate reason</span>.${review.writes.truncated ? ' The log was cut at its limit: narrow the period to see the rest.' : ''}</p>
${table(['at', 'principal', 'action', 'model', 'decision', 'rows', 'reason', 'flags'], review.writes.entries.map((w) => [
    when(w.at), principal(w.tenantId, w.userId), w.action, w.model ?? '', w.decision, n(w.rowsAffected),
    w.erased ? { html: '(erased)', cls: 'empty' } : (w.reason ?? ''), w.flags.length ? { html: h(w.flags.join(', ')), cls: 'flag' } : '',
  ]), 'No writes in the period.', 'write-log')}
</section>

<section id="approvals"><h2>Approval turnaround</h2>
<p>${s.requests} request(s): ${s.decided} decided, <span class="ok">${s.withinSla} within SLA</span>, <span class="${s.breached ? 'bad' : 'ok'}">${s.breached} breached or overdue</span>, ${s.pending} pending. Median turnaround: ${s.medianTurnaroundMs === null ? 'n/a' : h(duration(s.medianTurnaroundMs))}. SLAs are read from the current policy's approval rules.</p>
${approvalChart}
${table(['requested', 'approval', 'model', 'operation', 'requested by', 'outcome', 'turnaround', 'SLA', ''], approvals.requests.map((r) => [
    when(r.requestedAt), r.approvalId, r.model ?? '', r.operation ?? '', principal(r.tenantId, r.requestedBy), r.outcome, n(duration(r.turnaroundMs)), n(duration(r.slaMs)),
    { html: h(sla(r.withinSla, r.outcome)), cls: r.withinSla === false ? 'bad' : r.withinSla ? 'ok' : '' },
  ]), 'No approval requests in the period.', 'approval-turnaround')}
</section>

<section id="policy"><h2>Policy changes</h2>
<p>${review.policyHashes.length} policy hash(es) answered calls in the period${review.policyHashes.length > 1 ? ': the policy changed' : ''}.</p>
${table(['policy hash', 'calls', 'first seen', 'last seen', ''], review.policyHashes.map((p) => [{ html: `<code>${h(shortHash(p.hash))}</code>` }, n(p.calls), when(p.firstAt), when(p.lastAt), p.current ? 'current' : '']), 'No calls in the period.', 'policy-hashes')}
</section>

<section id="regression-suite"><h2>Policy regression suite</h2>${regressionHtml}</section>
</main></body></html>
`;
}
