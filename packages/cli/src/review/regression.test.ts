import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditCommandError } from '../audit/errors.js';
import { readRegressionResult } from './regression.js';

describe('readRegressionResult', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ormai-regression-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('is "not provided" without a file', () => {
    expect(readRegressionResult(undefined)).toEqual({ provided: false });
  });

  it('reads counts and failed test names from a vitest JSON report', () => {
    const report = {
      numTotalTests: 4, numPassedTests: 2, numFailedTests: 1, numPendingTests: 1, numTodoTests: 0, success: false,
      testResults: [{ assertionResults: [
        { fullName: 'policy support cannot read passwordHash', status: 'passed' },
        { fullName: 'policy refunds need finance approval', status: 'failed' },
      ] }],
    };
    const path = file('failed.json', JSON.stringify(report));
    expect(readRegressionResult(path)).toEqual({
      provided: true, file: path, success: false, total: 4, passed: 2, failed: 1, skipped: 1, failures: ['policy refunds need finance approval'],
    });
  });

  it('refuses a file that is not a JSON test report', () => {
    const code = (path: string) => {
      try {
        readRegressionResult(path);
        return null;
      } catch (error) {
        return error instanceof AuditCommandError ? error.code : error;
      }
    };
    expect(code(file('junit.xml', '<testsuites/>'))).toBe('invalid_option');
    expect(code(file('other.json', '{"tests": 3}'))).toBe('invalid_option');
    expect(code(join(dir, 'missing.json'))).toBe('invalid_option');
  });
});
