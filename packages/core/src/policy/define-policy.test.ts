import { describe, expect, it } from 'vitest';
import { DEFAULT_DEV, DEFAULT_INTERNAL, DEFAULT_PROD } from './profiles.js';
import { definePolicy, policyHash } from './define-policy.js';
import { PolicyDefinitionError } from '../errors.js';

const spec = {
  profile: DEFAULT_PROD,
  tenantScope: { field: 'tenantId' },
  denyFields: ['*ssn*'],
  maskFields: { '*email*': 'email' as const },
  budgets: { maxRows: 25 },
  models: { Customer: { fields: { notes: 'deny' as const }, relations: ['orders'] }, Order: {} },
};

describe('definePolicy', () => {
  it('merges the profile under the spec and keeps the profile globs', () => {
    const policy = definePolicy(spec);
    expect(policy.profile).toBe('prod');
    expect(policy.readOnly).toBe(true);
    expect(policy.requireReason).toBe(true);
    expect(policy.denyFields).toEqual(expect.arrayContaining(['*password*', '*secret*', '*token*', '*api_key*', '*apikey*', '*private_key*', '*ssn*']));
    expect(policy.budgets).toEqual({ ...DEFAULT_PROD.budgets, maxRows: 25 });
  });

  it('round-trips through JSON unchanged: the file an auditor reads is the policy that runs', () => {
    const policy = definePolicy(spec);
    const again = definePolicy(JSON.parse(JSON.stringify(policy)));
    expect(again).toEqual(policy);
    expect(policyHash(again)).toBe(policyHash(policy));
  });

  it('hashes independently of key order, and differently for different policies', () => {
    const policy = definePolicy(spec);
    const shuffled = Object.fromEntries(Object.entries(policy).reverse());
    expect(JSON.stringify(shuffled)).not.toBe(JSON.stringify(policy));
    expect(policyHash(shuffled as typeof policy)).toBe(policyHash(policy));
    expect(policyHash(policy)).toMatch(/^[0-9a-f]{64}$/);
    expect(policyHash(definePolicy({ ...spec, budgets: { maxRows: 26 } }))).not.toBe(policyHash(policy));
  });

  it('profiles differ where they should', () => {
    expect(DEFAULT_PROD.budgets.maxRows).toBeLessThan(DEFAULT_INTERNAL.budgets.maxRows);
    expect(DEFAULT_INTERNAL.budgets.maxRows).toBeLessThan(DEFAULT_DEV.budgets.maxRows);
    for (const profile of [DEFAULT_PROD, DEFAULT_INTERNAL, DEFAULT_DEV]) {
      expect(profile.denyFields).toContain('*password*');
      expect(profile.budgets.maxJoinDepth).toBeLessThanOrEqual(3);
    }
    expect(definePolicy({ profile: 'dev', models: {} }).readOnly).toBe(false);
  });

  it('a PROD policy must state its tenant scope', () => {
    expect(() => definePolicy({ models: {} })).toThrow(/tenantScope/);
    expect(definePolicy({ tenantScope: false, models: {} }).tenantScope).toBe(false);
  });

  it('rejects invalid specs with every problem listed', () => {
    const attempt = () =>
      definePolicy({
        tenantScope: false,
        budgets: { maxJoinDepth: 4, maxRows: -1 },
        models: { Customer: { fields: { x: 'reveal' as never } } },
      });
    expect(attempt).toThrow(PolicyDefinitionError);
    try {
      attempt();
    } catch (error) {
      expect((error as PolicyDefinitionError).problems.length).toBeGreaterThanOrEqual(3);
    }
    expect(() => definePolicy({ tenantScope: false, models: {}, extra: 1 } as never)).toThrow(PolicyDefinitionError);
  });
});
