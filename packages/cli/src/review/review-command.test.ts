import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopSetup } from '../test-support/shop-setup.js';
import { writeAuditedShopConfig } from '../audit/test-support/audit-config-file.js';
import { runCli, SPAWNS_TIMEOUT } from '../test-support/run-cli.js';
import type { Review } from './review-data.js';
import { reviewRecords, writeReviewRecords } from './test-support/seed-review.js';

describe('ormai review (the binary, on a SQLite shop)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ormai-cli-review-'));
  const shop = shopSetup({ dialect: 'sqlite' });
  const configFile = writeAuditedShopConfig(dir, { dialect: 'sqlite', location: shop.location });
  const regressionFile = join(dir, 'policy-tests.json');

  beforeAll(async () => {
    const setup = await shop.setup();
    await writeReviewRecords(setup.auditSink!, reviewRecords(Date.now(), setup.ormai.policyHash));
    await setup.close();
    writeFileSync(regressionFile, JSON.stringify({ numTotalTests: 12, numPassedTests: 12, numFailedTests: 0, numPendingTests: 0, success: true, testResults: [] }));
  });
  afterAll(async () => {
    await shop.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes review.md and review.html and prints the review as JSON', async () => {
    const out = join(dir, 'report');
    const run = await runCli(['-c', configFile, 'review', '--days', '90', '--out', out, '--regression-result', regressionFile, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { files, review } = JSON.parse(run.stdout) as { files: { markdown: string; html: string }; review: Review };
    expect(files).toEqual({ markdown: join(out, 'review.md'), html: join(out, 'review.html') });
    expect(review.totals).toEqual({ calls: 28, denials: 5, writes: 10, approvalRequests: 6 });
    expect(review.regression).toMatchObject({ provided: true, success: true, passed: 12, total: 12 });
    expect(review.policyHashes.filter((p) => p.current)).toHaveLength(1);
    const markdown = readFileSync(files.markdown, 'utf8');
    expect(markdown).toContain('| fix | ⚠ short, generic |');
    expect(markdown).toContain('Passed: 12 of 12 passed');
    expect(readFileSync(files.html, 'utf8').match(/<svg class="chart"/g)).toHaveLength(3);
  }, SPAWNS_TIMEOUT);

  it('prints a summary table; a shorter period holds fewer records', async () => {
    const out = join(dir, 'week');
    const run = await runCli(['-c', configFile, 'review', '--days', '7', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/regression suite\s*│\s*not provided/);
    expect(run.stdout).toMatch(/approvals\s*│\s*3 requested, 0 within SLA, 2 breached or overdue/);
    expect(existsSync(join(out, 'review.html'))).toBe(true);
  }, SPAWNS_TIMEOUT);

  it('exits 2 on a bad period or regression report, writing nothing', async () => {
    const out = join(dir, 'never');
    const days = await runCli(['-c', configFile, 'review', '--days', 'ninety', '--out', out]);
    expect(days.code).toBe(2);
    expect(days.stderr).toMatch(/--days takes a positive integer/);
    const report = await runCli(['-c', configFile, 'review', '--out', out, '--regression-result', configFile]);
    expect(report.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  }, SPAWNS_TIMEOUT);
});
