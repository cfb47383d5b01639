import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCliIn } from '../test-support/run-cli.js';
import { afterAll, describe, expect, it } from 'vitest';
import { dropShop, newShopLocation, writeShopConfig } from '../test-support/index.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The real binary, from source, as CI would run it: stdout, stderr and the exit code. */
const ormai = (...args: string[]) => runCliIn(ROOT, args);

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

  it('names the checks a switched-off tool left unrun, and exits 0 when no probe failed', async () => {
    const switchedDir = mkdtempSync(join(dir, 'switched-'));
    const config = writeShopConfig(switchedDir, { dialect: 'sqlite', location, switches: true, domainTools: true });
    const { code, stdout } = await ormai('-c', config, 'verify');
    expect(stdout).toMatch(/│ approval\s+│ skipped\s+│ 0\s+│ 0\s+│ 0\s+│ 1\s+│ skipped, tool switched off for the model: rule refund/);
    expect(stdout).toMatch(/\d+ checks skipped: the policy switches their generic tool off for the model; left to domain tools \(find_customer, close_ticket\)/);
    expect(stdout).toMatch(/no probe failed \(skipped checks are not passes\)/);
    expect(stdout).not.toMatch(/all probes passed/);
    expect(code).toBe(0);
  });

  it('exits 2 when there is no config to load', async () => {
    const { code, stderr } = await ormai('verify', '--config', join(dir, 'missing.config.ts'));
    expect(stderr).toMatch(/config file not found/);
    expect(code).toBe(2);
  });
});
