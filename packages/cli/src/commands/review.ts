import { Command } from 'commander';
import { auditSourceOf } from '../audit/audit-source.js';
import { parsePositiveInteger } from '../audit/period.js';
import { reportUnusable, withSetup } from '../audit/run-setup.js';
import { stdoutOutput } from '../output.js';
import { buildReview } from '../review/build-review.js';
import { readRegressionResult } from '../review/regression.js';
import { reviewSummary } from '../review/summary.js';
import { writeReviewFiles } from '../review/write-report.js';

interface ReviewCommandOptions {
  days: string;
  out: string;
  regressionResult?: string;
  json?: boolean;
}

export function registerReview(program: Command): void {
  program
    .command('review')
    .description(
      'The quarterly review from the audit tables: common denials and by whom, longest calls, the write log with weak reasons flagged, ' +
        'approval turnaround against SLA, policy hashes seen, the regression suite. Writes review.md and a self-contained review.html.',
    )
    .option('--days <n>', 'the period: the last n days', '90')
    .option('--out <dir>', 'where review.md and review.html go', 'ormai-review')
    .option('--regression-result <file>', 'the policy regression suite\'s JSON report (vitest --reporter=json)')
    .option('--json', 'one JSON document on stdout: the review\'s data and the files written')
    .action(async (options: ReviewCommandOptions, command: Command) => {
      const out = stdoutOutput(Boolean(options.json));
      await reportUnusable(out, async () => {
        const days = parsePositiveInteger('--days', options.days)!;
        const regression = readRegressionResult(options.regressionResult);
        await withSetup(command, async (setup) => {
          const review = await buildReview(auditSourceOf(setup.audit), setup.ormai, { days, regression });
          const files = writeReviewFiles(review, options.out);
          out.write(out.json ? JSON.stringify({ files, review }) : reviewSummary(review, files));
        });
      });
    });
}
