import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { dropShop, newShopLocation, writeShopConfig } from '../test-support/index.js';

const BIN = fileURLToPath(new URL('../bin.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The real binary, from source, as CI would run it: stdout, stderr and the exit code. */
async function ormai(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--conditions=ormai-source', '--import', 'tsx', BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('ormai verify, end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ormai-verify-'));
  const location = newShopLocation('sqlite');
  afterAll(async () => {
    await dropShop(location);
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints one JSON document and exits 0 when every probe passes', async () => {
    const config = writeShopConfig(dir, { dialect: 'sqlite', location });
    const { code, stdout } = await ormai('verify', '--json', '--config', config);
    const report = JSON.parse(stdout) as { ok: boolean; probes: Array<{ probe: string; status: string }> };
    expect(report.probes.map((p) => `${p.probe}:${p.status}`)).toEqual(['cross-tenant:pass', 'pii:pass', 'budget:pass', 'write:pass', 'approval:pass', 'audit:pass']);
    expect(code).toBe(0);
  });

  it('prints the table and exits 1 when a probe fails', async () => {
    const brokenDir = mkdtempSync(join(dir, 'broken-'));
    const config = writeShopConfig(brokenDir, { dialect: 'sqlite', location, breaks: ['secret-field'] });
    const { code, stdout } = await ormai('-c', config, 'verify');
    expect(stdout).toMatch(/│ pii\s+│ fail\s+│/);
    expect(stdout).toMatch(/Customer\.passwordHash/);
    expect(stdout).toMatch(/failed: pii/);
    expect(code).toBe(1);
  });

  it('exits 2 when there is no config to load', async () => {
    const { code, stderr } = await ormai('verify', '--config', join(dir, 'missing.config.ts'));
    expect(stderr).toMatch(/config file not found/);
    expect(code).toBe(2);
  });
});
