import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopSetup, type ShopConfig } from '../test-support/shop-setup.js';
import type { ShopDialect } from '../test-support/shop-database.js';
import { writeAuditedShopConfig } from './test-support/audit-config-file.js';
import { runCli, SPAWNS_TIMEOUT } from '../test-support/run-cli.js';

/** A shop whose audit trail holds three real calls: an unbounded scan and a secret field refused, a read allowed. */
async function auditedShop(dialect: ShopDialect, dir: string): Promise<{ shop: ShopConfig; configFile: string }> {
  const shop = shopSetup({ dialect });
  const setup = await shop.setup();
  const { a } = shop.principals;
  await setup.ormai.call('db_query', { model: 'Order', limit: 5 }, a);
  await setup.ormai.call('db_get', { model: 'Customer', id: 1 }, a);
  await setup.ormai.call('db_query', { model: 'Customer', select: ['passwordHash'], limit: 5 }, a);
  await setup.close();
  return { shop, configFile: writeAuditedShopConfig(dir, { dialect, location: shop.location }) };
}

describe.each(['sqlite', 'postgres'] as const)('ormai audit on %s', (dialect) => {
  const dir = mkdtempSync(join(tmpdir(), 'ormai-cli-audit-'));
  let shop: ShopConfig;
  let configFile: string;

  beforeAll(async () => {
    ({ shop, configFile } = await auditedShop(dialect, dir));
  });
  afterAll(async () => {
    await shop?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verify passes on an intact chain, query runs a saved query, verify fails once a payload is altered', async () => {
    const verified = await runCli(['-c', configFile, 'audit', 'verify', '--json']);
    expect(verified.code, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, count: 3, head: { seq: 3 } });

    const denials = await runCli(['-c', configFile, 'audit', 'query', 'denials', '--tenant', 'acme', '--since', '2020-01-01', '--json']);
    expect(denials.code, denials.stderr).toBe(0);
    const { rows } = JSON.parse(denials.stdout) as { rows: Array<Record<string, unknown>> };
    // Most recent first.
    expect(rows.map((r) => [r.code, r.user_id, r.model])).toEqual([
      ['field_not_allowed', 'probe-acme', 'Customer'],
      ['scan_budget_exceeded', 'probe-acme', 'Order'],
    ]);

    const setup = await shop.setup();
    await setup.sequelize.query(`UPDATE "ormai_audit_records" SET payload = '{"input":{},"reason":"edited","subjects":[]}' WHERE action = 'db_get'`);
    await setup.close();
    const broken = await runCli(['-c', configFile, 'audit', 'verify', '--json']);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toEqual({ ok: false, count: 1, brokenAt: 2, problem: 'payload_mismatch' });
    const told = await runCli(['-c', configFile, 'audit', 'verify']);
    expect(told.code).toBe(1);
    expect(told.stdout).toMatch(/fail[\s\S]*payload_mismatch: a payload was changed or cleared without erasure/);
  }, SPAWNS_TIMEOUT);
});

describe('ormai audit when it cannot run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ormai-cli-audit-off-'));
  const shop = shopSetup({ dialect: 'sqlite', audit: false });
  const configFile = writeAuditedShopConfig(dir, { dialect: 'sqlite', location: shop.location, audit: false });
  afterAll(async () => {
    await shop.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 2 without an audit trail, an audit location, a known query or valid options', async () => {
    const verify = await runCli(['-c', configFile, 'audit', 'verify', '--json']);
    expect(verify.code).toBe(2);
    expect(JSON.parse(verify.stdout)).toMatchObject({ error: { code: 'cannot_verify' } });
    const query = await runCli(['-c', configFile, 'audit', 'query', 'denials']);
    expect(query.code).toBe(2);
    expect(query.stderr).toMatch(/returns no `audit` location/);
    const since = await runCli(['-c', configFile, 'audit', 'query', 'denials', '--since', 'yesterday']);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/--since takes an ISO 8601 date/);
  }, SPAWNS_TIMEOUT);
});
