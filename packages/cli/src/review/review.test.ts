import { mkdirSync } from 'node:fs';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopPolicyFor } from '../test-support/shop-setup.js';
import { openAuditTables, type AuditTables } from '../audit/test-support/audit-tables.js';
import { buildReview } from './build-review.js';
import type { Review } from './review-data.js';
import { writeReviewFiles } from './write-report.js';
import { openChromium } from './test-support/chromium.js';
import { OLD_POLICY_HASH, reviewRecords, writeReviewRecords } from './test-support/seed-review.js';

const MIN = 60_000;
const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));
const now = Date.now();
const instance = { policy: shopPolicyFor(), policyHash: 'c'.repeat(64) };

describe('the quarterly review from seeded audit records', () => {
  let pg: AuditTables;
  let sqlite: AuditTables;
  let review: Review;

  beforeAll(async () => {
    [pg, sqlite] = await Promise.all([openAuditTables('postgres'), openAuditTables('sqlite')]);
    const records = reviewRecords(now, instance.policyHash);
    for (const { sink } of [pg, sqlite]) await writeReviewRecords(sink, records);
    review = await buildReview(sqlite.source, instance, { days: 90, now, regression: { provided: false } });
  });
  afterAll(async () => {
    await pg?.close();
    await sqlite?.close();
  });

  it('answers the same on PostgreSQL and SQLite', async () => {
    expect(await buildReview(pg.source, instance, { days: 90, now, regression: { provided: false } })).toEqual(review);
  });

  it('counts the period only, and ranks denials and who caused them (approval requests are not denials)', () => {
    expect(review.totals).toEqual({ calls: 28, denials: 5, writes: 10, approvalRequests: 6 });
    expect(review.denials.byCode).toEqual([
      { code: 'field_not_allowed', count: 3, users: 2 },
      { code: 'scan_budget_exceeded', count: 1, users: 1 },
      { code: 'tenant_mismatch', count: 1, users: 1 },
    ]);
    expect(review.denials.byPrincipal.map((d) => [d.code, d.userId, d.tenantId, d.count])).toEqual([
      ['field_not_allowed', 'u1', 'acme', 2], ['field_not_allowed', 'u3', 'globex', 1], ['scan_budget_exceeded', 'u1', 'acme', 1], ['tenant_mismatch', 'u2', 'acme', 1],
    ]);
    expect(review.longestCalls.slice(0, 4).map((c) => c.durationMs)).toEqual([5_000, 2_500, 1_200, 900]);
  });

  it('lists the writes with their reasons and flags the weak ones', () => {
    const flagged = review.writes.entries.filter((w) => w.flags.length).map((w) => [w.reason, w.flags]);
    expect(flagged).toEqual([
      ['fix', ['short', 'generic']],
      [null, ['empty']],
      ...Array.from({ length: 3 }, () => ['Customer asked to change the delivery city', ['repeated']]),
    ]);
    expect(review.writes.flagged).toBe(5);
    expect(review.writes.entries).toHaveLength(16);
    expect(review.writes.entries.find((w) => w.erased)).toMatchObject({ reason: null, flags: [] });
  });

  it('times approvals against the policy\'s SLA and lists the policy hashes seen', () => {
    expect(review.approvals.requests.map((r) => [r.approvalId, r.outcome, r.turnaroundMs, r.withinSla])).toEqual([
      ['apr_fast', 'executed', 20 * MIN, true],
      ['apr_slow', 'executed', 180 * MIN, false],
      ['apr_denied', 'denied', 10 * MIN, true],
      ['apr_expired', 'expired', 60 * MIN, false],
      ['apr_overdue', 'pending', null, false],
      ['apr_open', 'pending', null, null],
    ]);
    expect(review.approvals.summary).toEqual({ requests: 6, decided: 4, withinSla: 2, breached: 3, pending: 2, medianTurnaroundMs: 40 * MIN });
    expect(review.policyHashes.map((p) => [p.hash, p.calls, p.current])).toEqual([[OLD_POLICY_HASH, 4, false], [instance.policyHash, 24, true]]);
  });

  it('renders a self-contained HTML page that Chromium shows with its charts and tables', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const files = writeReviewFiles(review, ARTIFACTS);
    const browser = await openChromium();
    try {
      const page = await browser.context.newPage();
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      await page.goto(pathToFileURL(files.html).href);

      const charts = page.locator('svg.chart');
      expect(await charts.count()).toBe(3);
      for (const [i, bars] of [[0, 3], [1, 10], [2, 4]] as const) {
        await expect.poll(() => charts.nth(i).isVisible()).toBe(true);
        expect(await charts.nth(i).locator('rect.bar').count()).toBe(bars);
        expect((await charts.nth(i).boundingBox())!.width).toBeGreaterThan(300);
      }
      // Two approvals breached their SLA: red bars, and the SLA line on each decided request.
      expect(await charts.nth(2).locator('rect.bar.bad').count()).toBe(2);
      expect(await charts.nth(2).locator('line.marker').count()).toBe(4);
      for (const id of ['denials-by-code', 'denials-by-principal', 'longest-calls', 'write-log', 'approval-turnaround', 'policy-hashes']) {
        expect(await page.locator(`table#${id}`).isVisible(), id).toBe(true);
      }
      expect(await page.locator('table#write-log tbody tr').count()).toBe(16);
      expect(await page.locator('table#write-log td.flag').count()).toBe(5);
      expect(await page.locator('#regression').textContent()).toMatch(/Not provided/);
      // A reason holding markup is shown as text, never run.
      expect(await page.locator('script').count()).toBe(0);
      expect(await page.title()).toMatch(/^OrmAI quarterly review/);
      expect(await page.locator('table#write-log').textContent()).toContain('<script>document.title="pwned"</script> corrected the name');
      // Self-contained: the page asked for nothing but itself.
      expect(requested).toEqual([pathToFileURL(files.html).href]);
      await page.screenshot({ path: `${ARTIFACTS}review.png`, fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
