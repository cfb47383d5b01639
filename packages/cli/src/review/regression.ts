import { readFileSync } from 'node:fs';
import { AuditCommandError } from '../audit/errors.js';

export type RegressionResult =
  | { provided: false }
  | { provided: true; file: string; success: boolean; total: number; passed: number; failed: number; skipped: number; failures: string[] };

/** Failed tests named in the report, at most this many. */
const MAX_FAILURES = 20;

interface JsonReport {
  success?: unknown;
  numTotalTests?: unknown;
  numPassedTests?: unknown;
  numFailedTests?: unknown;
  numPendingTests?: unknown;
  numTodoTests?: unknown;
  testResults?: Array<{ assertionResults?: Array<{ fullName?: unknown; status?: unknown }> }>;
}

const count = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null);

/**
 * The policy regression suite's result from a JSON test report (vitest's `--reporter=json`, or Jest's:
 * the same shape). No file: 'not provided'. A file that is not such a report is a usage error.
 */
export function readRegressionResult(file: string | undefined): RegressionResult {
  if (file === undefined) return { provided: false };
  let report: JsonReport;
  try {
    report = JSON.parse(readFileSync(file, 'utf8')) as JsonReport;
  } catch (error) {
    throw new AuditCommandError('invalid_option', `--regression-result ${file}: not a readable JSON file (${error instanceof Error ? error.message : String(error)})`);
  }
  const total = count(report.numTotalTests);
  const passed = count(report.numPassedTests);
  const failed = count(report.numFailedTests);
  if (total === null || passed === null || failed === null) {
    throw new AuditCommandError('invalid_option', `--regression-result ${file}: expected a JSON test report (vitest --reporter=json) with numTotalTests, numPassedTests, numFailedTests`);
  }
  const skipped = (count(report.numPendingTests) ?? 0) + (count(report.numTodoTests) ?? 0);
  const failures = (report.testResults ?? [])
    .flatMap((suite) => suite.assertionResults ?? [])
    .filter((test) => test.status === 'failed')
    .map((test) => String(test.fullName))
    .slice(0, MAX_FAILURES);
  return { provided: true, file, success: report.success === true && failed === 0, total, passed, failed, skipped, failures };
}
