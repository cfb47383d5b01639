import { describe, expect, it } from 'vitest';
import { definePolicy, policyHash } from '../policy/define-policy.js';
import { policySchema } from '../policy/policy-schema.js';
import { DEFAULT_DEV, DEFAULT_INTERNAL } from '../policy/profiles.js';
import { PolicyDefinitionError } from '../errors.js';
import { hashBudgetKey, budgetKey } from './budget-key.js';
import { keyFromSecret } from '../crypto.js';

const models = { Order: {} };

describe('quotas in the policy', () => {
  it('onStoreFailure defaults to fail_closed in PROD and continue otherwise; an explicit value wins', () => {
    expect(definePolicy({ tenantScope: { field: 'tenantId' }, models, quotas: { rowsPerHour: 1_000 } }).quotas).toEqual({ rowsPerHour: 1_000, onStoreFailure: 'fail_closed' });
    expect(definePolicy({ profile: DEFAULT_DEV, models, quotas: { toolCallsPerMinute: 60 } }).quotas).toEqual({ toolCallsPerMinute: 60, onStoreFailure: 'continue' });
    expect(definePolicy({ profile: DEFAULT_INTERNAL, models, quotas: { writesPerDay: 5, onStoreFailure: 'fail_closed' } }).quotas?.onStoreFailure).toBe('fail_closed');
  });

  it('a policy without quotas has none, and keeps the hash it had before quotas existed', () => {
    const policy = definePolicy({ tenantScope: { field: 'tenantId' }, models });
    expect('quotas' in policy).toBe(false);
    expect(policyHash(policy)).toBe(policyHash(definePolicy(JSON.parse(JSON.stringify(policy)))));
  });

  it('round-trips through JSON, and a serialized quota without onStoreFailure fails closed', () => {
    const policy = definePolicy({ tenantScope: { field: 'tenantId' }, models, quotas: { rowsPerDay: 10_000, writesPerDay: 50 } });
    expect(definePolicy(JSON.parse(JSON.stringify(policy)))).toEqual(policy);
    const { onStoreFailure: _dropped, ...stored } = policy.quotas!;
    expect(policySchema.parse({ ...policy, quotas: stored }).quotas?.onStoreFailure).toBe('fail_closed');
  });

  it('rejects limits that are not positive integers, and unknown quotas', () => {
    for (const quotas of [{ rowsPerHour: 0 }, { toolCallsPerMinute: 1.5 }, { writesPerDay: -1 }, { rowsPerWeek: 10 }, { onStoreFailure: 'open' }]) {
      expect(() => definePolicy({ tenantScope: false, models, quotas } as never)).toThrow(PolicyDefinitionError);
    }
  });
});

describe('hashBudgetKey', () => {
  it('is 32 hex characters, equal under one secret, different under another, and never the identifiers', () => {
    const encoded = budgetKey('quota', 'rowsPerHour', 'tenant', 'acme');
    const a = hashBudgetKey(keyFromSecret('s1', 'budget-keys'), encoded);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(hashBudgetKey(keyFromSecret('s1', 'budget-keys'), encoded)).toBe(a);
    expect(hashBudgetKey(keyFromSecret('s2', 'budget-keys'), encoded)).not.toBe(a);
    expect(hashBudgetKey(keyFromSecret('s1', 'budget-keys'), budgetKey('quota', 'rowsPerHour', 'tenant', 'acme2'))).not.toBe(a);
  });
});
