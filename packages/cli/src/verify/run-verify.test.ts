import { afterAll, describe, expect, it } from 'vitest';
import { shopSetup, type ShopBreak, type ShopConfig, type ShopSetupOptions } from '../test-support/index.js';
import type { ProbeName } from './probe-result.js';
import { runVerify, type VerifyReport } from './run-verify.js';

const failing = (report: VerifyReport) => report.probes.filter((p) => p.status === 'fail').map((p) => p.probe);

describe.each(['sqlite', 'postgres'] as const)('ormai verify probes on %s', (dialect) => {
  const configs: ShopConfig[] = [];
  afterAll(async () => {
    for (const config of configs) await config.destroy();
  });

  async function verify(options: Omit<ShopSetupOptions, 'dialect'> = {}): Promise<VerifyReport> {
    const config = shopSetup({ dialect, ...options });
    configs.push(config);
    const setup = await config.setup();
    try {
      return await runVerify(setup.ormai, { ...config.principals, approver: config.approver });
    } finally {
      await setup.close();
    }
  }

  it('passes all six against the quickstart-like setup, leaving the data as it was', async () => {
    const report = await verify();
    expect(report.probes.map((p) => [p.probe, p.status, p.firstFailure])).toEqual([
      ['cross-tenant', 'pass', null],
      ['pii', 'pass', null],
      ['budget', 'pass', null],
      ['write', 'pass', null],
      ['approval', 'pass', null],
      ['audit', 'pass', null],
    ]);
    expect(report.dataChanged).toEqual([]);
    expect(report.skipped).toBe(0);
    expect(report.ok).toBe(true);
    // Budget: only the tables larger than maxScanRows are probed; the rest are named n/a.
    const budget = report.probes.find((p) => p.probe === 'budget')!;
    expect(budget.checks).toBe(4); // Order and OrderItem (600 rows each), by db_query and db_aggregate
    expect(budget.note).toBe("n/a where tenant A's rows fit in maxScanRows: Customer 20, Product 4, SupportTicket 5");
    // Every call and approval decision left one audit record (probe 6 counted them).
    expect(report.probes.reduce((sum, p) => sum + p.calls, 0)).toBeGreaterThan(50);
  });

  it('probes a policy with tool switches through the tools it offers, skipping the rest by name', async () => {
    const report = await verify({ switches: true, domainTools: true });
    expect(report.probes.map((p) => [p.probe, p.status, p.firstFailure])).toEqual([
      ['cross-tenant', 'pass', null],
      ['pii', 'pass', null],
      ['budget', 'pass', null],
      ['write', 'pass', null],
      ['approval', 'skipped', null],
      ['audit', 'pass', null],
    ]);
    const probe = (name: ProbeName) => report.probes.find((p) => p.probe === name)!;
    expect(probe('cross-tenant').note).toBe(
      'skipped, tool switched off for the model: db_get Customer, db_query Customer, db_aggregate Customer, db_update Customer, db_query Order include customer, ' +
        'db_aggregate Order, db_update Order, db_bulk_update Order, db_aggregate OrderItem, db_query SupportTicket, db_aggregate SupportTicket, db_create SupportTicket, db_delete SupportTicket',
    );
    expect(probe('cross-tenant').checks).toBeGreaterThan(0);
    expect(probe('pii').note).toBe('skipped, tool switched off for the model: db_query Customer, db_get Customer, db_query SupportTicket');
    expect(probe('budget').note).toMatch(/^skipped, tool switched off for the model: db_aggregate Order, db_aggregate OrderItem; n\/a where/);
    expect(probe('write').note).toBe('skipped, tool switched off for the model: db_update Customer, db_update Order, db_bulk_update Order, db_create SupportTicket, db_delete SupportTicket');
    expect(probe('approval')).toMatchObject({ checks: 0, skipped: 1, note: 'skipped, tool switched off for the model: rule refund (db_update/db_bulk_update Order)' });
    expect(report.domainTools).toEqual(['find_customer', 'close_ticket']);
    expect(report.probes.map((p) => p.skipped)).toEqual([13, 3, 2, 5, 1, 0]);
    expect(report.skipped).toBe(24);
    expect(report.dataChanged).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it.each([
    ['a secret field allowed', 'secret-field', 'pii', /db_get Customer \S+: returned Customer\.passwordHash/],
    ['writes without a reason', 'no-reason', 'write', /db_update SupportTicket without a reason: accepted/],
  ] as const)('still fails %s when switches leave one tool on the model', async (_, broken, probe, detail) => {
    const report = await verify({
      breaks: [broken],
      switches: true,
      policyOverrides: (spec) => void (spec.models.Customer!.tools = ['db_get']),
    });
    expect(failing(report), JSON.stringify(report.probes, null, 1)).toEqual([probe]);
    expect(report.probes.find((p) => p.probe === probe)!.firstFailure).toMatch(detail);
    expect(report.ok).toBe(false);
  });

  const broken: Array<[string, Omit<ShopSetupOptions, 'dialect'>, ProbeName, RegExp]> = [
    ['a tenant table marked tenant-free', { breaks: ['tenant-scope'] satisfies ShopBreak[] }, 'cross-tenant', /SupportTicket .*tenant globex's SupportTicket/],
    ['a secret field allowed', { breaks: ['secret-field'] }, 'pii', /Customer\.passwordHash, which a deny glob covers but the policy allows/],
    ['writes without a reason', { breaks: ['no-reason'] }, 'write', /db_update Customer without a reason: accepted/],
    ['no approval rule', { breaks: ['no-approval'] }, 'approval', /no approval rule gates any of them/],
    ['the audit sink off', { audit: false }, 'audit', /audit is off/],
  ];
  it.each(broken)('fails exactly the right probe with %s', async (_, options, probe, detail) => {
    const report = await verify(options);
    expect(failing(report), JSON.stringify(report.probes, null, 1)).toEqual([probe]);
    expect(report.probes.find((p) => p.probe === probe)!.firstFailure).toMatch(detail);
    expect(report.dataChanged).toEqual([]);
    expect(report.ok).toBe(false);
  });
});
