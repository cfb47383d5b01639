import { definePolicy, DEFAULT_DEV, type PolicySpec, type SchemaInfo } from '@ormai/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { shopPolicySpec } from '../test-support/index.js';
import { switchShopTools } from '../test-support/shop-tools.js';
import { hasErrors, lintInvalidPolicy, lintPolicy } from './lint.js';
import { shopSchema } from './test-support/shop-schema.js';

const PINNED = { dependencies: { '@ormai/core': '0.1.0', '@ormai/sequelize': '0.1.0', sequelize: '^6.37.8' } };
const PRODUCTION = { NODE_ENV: 'production' };

/** The shop policy, without the one join to reference data (a warning of its own, tested below). */
function goodSpec(): PolicySpec {
  const spec = shopPolicySpec();
  spec.models.OrderItem!.relations = [];
  return spec;
}

/** Everything the lint must catch, at once. */
function badSpec(): PolicySpec {
  const spec = shopPolicySpec();
  spec.profile = DEFAULT_DEV;
  spec.budgets = { ...spec.budgets, maxScanRows: 5_000_000 };
  spec.toolBudgets = { db_aggregate: { maxScanRows: 2_000_000 } };
  spec.models.Customer!.fields = { passwordHash: 'allow' };
  spec.models.SupportTicket!.fields = { notes: 'allow' };
  spec.models.SupportTicket!.tenantScope = false;
  spec.models.Order!.write = { ...spec.models.Order!.write!, requireReason: false, maxWritesPerMinute: 100 };
  return spec;
}

const rules = (findings: ReturnType<typeof lintPolicy>) => findings.map((f) => `${f.severity} ${f.rule} ${f.at}`);

describe('policy lint', () => {
  let schema: SchemaInfo;
  beforeAll(async () => {
    schema = await shopSchema();
  });

  it('finds nothing in a good policy', () => {
    expect(lintPolicy({ policy: definePolicy(goodSpec()), schema, env: PRODUCTION, packageJson: PINNED })).toEqual([]);
  });

  it('warns on a join from tenant data to reference data without a tenant field', () => {
    const findings = lintPolicy({ policy: definePolicy(shopPolicySpec()), schema, env: PRODUCTION, packageJson: PINNED });
    expect(rules(findings)).toEqual(['warning tenant-join OrderItem.product']);
    expect(hasErrors(findings)).toBe(false);
  });

  it('reports every risky setting of a deliberately bad policy, errors first', () => {
    const packageJson = { dependencies: { '@ormai/core': '^0.1.0' }, devDependencies: { '@ormai/cli': '*', '@ormai/sequelize': '0.1.0-rc.1' } };
    const findings = lintPolicy({ policy: definePolicy(badSpec()), schema, env: PRODUCTION, packageJson });
    expect(rules(findings)).toEqual([
      'error secret-readable Customer.passwordHash',
      'error unscoped-tenant-data SupportTicket',
      'error tenant-join Customer.tickets',
      'error scan-budget budgets.maxScanRows',
      'error scan-budget toolBudgets.db_aggregate.maxScanRows',
      'error write-without-reason Order.write.requireReason',
      'error dev-profile-in-production profile',
      'error unpinned-ormai package.json dependencies.@ormai/core',
      'error unpinned-ormai package.json devDependencies.@ormai/cli',
      'warning free-text-readable SupportTicket.notes',
      'warning tenant-join OrderItem.product',
      'warning write-rate Order.write.maxWritesPerMinute',
    ]);
    expect(findings.find((f) => f.rule === 'secret-readable')!.message).toContain('looks like a secret and the agent reads it in clear');
    expect(hasErrors(findings)).toBe(true);
  });

  it('accepts the dev profile outside production', () => {
    const spec = goodSpec();
    spec.profile = DEFAULT_DEV;
    for (const model of Object.values(spec.models)) if (model.write) model.write.requireReason = true;
    expect(lintPolicy({ policy: definePolicy(spec), schema, env: { NODE_ENV: 'development' }, packageJson: PINNED })).toEqual([]);
  });

  it('without a schema checks the stated rules, and a scan budget the file leaves to the profile', () => {
    const raw = JSON.parse(JSON.stringify({ ...badSpec(), profile: 'dev', budgets: { maxRows: 10 }, toolBudgets: {} }));
    const findings = lintPolicy({ policy: definePolicy(raw), stated: raw, env: {} });
    expect(rules(findings)).toEqual([
      'error secret-readable Customer.passwordHash',
      'error write-without-reason Order.write.requireReason',
      'warning free-text-readable SupportTicket.notes',
      'warning scan-budget budgets.maxScanRows',
      'warning write-rate Order.write.maxWritesPerMinute',
    ]);
    expect(findings.find((f) => f.rule === 'scan-budget')!.message).toContain("the profile's 1000000 applies");
  });

  it('reports an invalid policy file with the budget checks that still apply', () => {
    const raw = { ...JSON.parse(JSON.stringify(definePolicy(goodSpec()))), budgets: { maxRows: 25, maxScanRows: 100, statementTimeoutMs: 2_000, maxJoinDepth: 5 } };
    let problems: string[] = [];
    try {
      definePolicy(raw);
    } catch (error) {
      problems = (error as { problems: string[] }).problems;
    }
    const findings = lintInvalidPolicy(raw, problems, PINNED);
    expect(rules(findings)).toEqual(['error invalid-policy budgets.maxJoinDepth', 'error join-depth budgets.maxJoinDepth']);
  });

  it('warns where tool switches hide the schema from a model other generic tools reach', () => {
    const spec = goodSpec();
    switchShopTools(spec);
    const hidden = lintPolicy({ policy: definePolicy(spec), schema, env: PRODUCTION, packageJson: PINNED }).filter((f) => f.rule === 'schema-hidden');
    // Customer is left to domain tools (no generic tool, nothing to guess); OrderItem and Product keep the global list.
    expect(hidden.map((f) => `${f.severity} ${f.at}`)).toEqual(['warning Order.tools', 'warning SupportTicket.tools']);
    expect(hidden[1]!.message).toBe('SupportTicket is reachable by db_get, db_update but db_describe_schema is off for it: the agent must guess its fields; switch db_describe_schema on with them');
  });
});
