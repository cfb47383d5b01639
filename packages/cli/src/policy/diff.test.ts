import { definePolicy, type PolicySpec, type SchemaInfo } from '@ormai/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { shopPolicySpec } from '../test-support/index.js';
import { switchShopTools } from '../test-support/shop-tools.js';
import { diffPolicies } from './diff.js';
import { diffText } from './render-text.js';
import { shopSchema } from './test-support/shop-schema.js';

/** The shop policy loosened in every way the diff must call a grant. */
function loosened(): PolicySpec {
  const spec = shopPolicySpec();
  spec.budgets = { ...spec.budgets, maxRows: 100 };
  spec.audit = { ...spec.audit, onFailure: 'continue' };
  const models = spec.models;
  models.Customer!.fields = { passwordHash: 'allow', email: 'allow' };
  models.Customer!.write = { ...models.Customer!.write!, create: true, writableFields: ['name', 'city', 'phone'], maskedWritableFields: ['phone'] };
  models.Order!.write = { ...models.Order!.write!, requireReason: false, maxWritesPerMinute: 60 };
  delete models.Order!.write.approvals;
  models.SupportTicket!.tenantScope = false;
  models.Tenant = { tenantScope: false };
  return spec;
}

const messages = (diff: ReturnType<typeof diffPolicies>, effect: string) => diff.changes.filter((c) => c.effect === effect).map((c) => c.message);

describe('policy diff', () => {
  let schema: SchemaInfo;
  beforeAll(async () => {
    schema = await shopSchema();
  });

  it('names everything a change grants, resolved against the schema', () => {
    const diff = diffPolicies(definePolicy(shopPolicySpec()), definePolicy(loosened()), schema);
    expect(diff.basis).toBe('schema');
    expect(diff.restricts).toBe(0);
    expect(messages(diff, 'grant')).toEqual(
      expect.arrayContaining([
        'model Tenant added: the agent reads id, name',
        "SupportTicket is no longer tenant-scoped: the agent reads every tenant's rows",
        'Customer.passwordHash: newly readable, denied → in clear',
        // Tenant-free, its tenant column is an ordinary field: every tenant's id becomes readable.
        'SupportTicket.tenantId: newly readable, denied → in clear',
        'Customer.email: unmasked, masked (email) → in clear',
        'Customer: the agent may now create',
        'Customer.phone: newly writable',
        'Order: writes no longer require a reason',
        "Order: approval rule 'refund' removed: update/bulk_update changing status when {\"field\":\"status\",\"op\":\"eq\",\"value\":\"refunded\"} no longer waits for finance",
        'Order: writes per minute: raised from 20 to 60',
        'maxRows: raised from 25 to 100',
        'calls now continue unaudited when the audit sink fails (continue)',
      ]),
    );
    expect(diff.grants).toBe(12);
    const text = diffText(diff).replace(/\x1b\[[0-9;]*m/g, ''); // picocolors colors when the environment asks (FORCE_COLOR)
    expect(text).toMatch(/\nFields\n(?: {2}.*\n)*? {2}\+ grants {2}Customer\.passwordHash: newly readable, denied → in clear\n/);
    expect(text).toContain('12 granted, 0 removed, 0 other changes.');
  });

  it('reads the same change backwards as removals only', () => {
    const diff = diffPolicies(definePolicy(loosened()), definePolicy(shopPolicySpec()), schema);
    expect(diff.grants).toBe(0);
    expect(messages(diff, 'restrict')).toEqual(
      expect.arrayContaining([
        'model Tenant removed: the agent can no longer reach it',
        'SupportTicket is now tenant-scoped on tenantId',
        'Customer.passwordHash: now denied, in clear → denied',
        'Customer.email: now masked, in clear → masked (email)',
        'Customer: the agent may no longer create',
        'Order: writes now require a reason',
        "Order: new approval rule 'refund' (update/bulk_update changing status when {\"field\":\"status\",\"op\":\"eq\",\"value\":\"refunded\"}) by finance, SLA 1 h",
        'maxRows: lowered from 100 to 25',
        'calls are now refused when the audit sink fails (fail_closed)',
      ]),
    );
  });

  it('compares stated rules, globs and quotas without a schema', () => {
    const before = shopPolicySpec();
    const after = shopPolicySpec();
    delete after.models.SupportTicket!.fields;
    after.denyFields = ['*city*'];
    after.quotas = { toolCallsPerMinute: 30 };
    before.quotas = { toolCallsPerMinute: 60, rowsPerDay: 1_000 };
    const diff = diffPolicies(definePolicy(before), definePolicy(after));
    expect(diff.basis).toBe('policy');
    expect(messages(diff, 'grant')).toEqual(["SupportTicket.notes: newly readable, denied → in clear (no rule: the globs, else the default)", 'quota rowsPerDay: no longer limited (was 1000)']);
    expect(messages(diff, 'restrict')).toEqual(['fields matching *city* are now denied', 'quota toolCallsPerMinute: lowered from 60 to 30']);
  });

  it('finds nothing between a policy and its JSON round trip', () => {
    const policy = definePolicy(shopPolicySpec());
    const diff = diffPolicies(policy, definePolicy(JSON.parse(JSON.stringify(policy))), schema);
    expect(diff.changes).toEqual([]);
    expect(diff.from).toBe(diff.to);
    expect(diffText(diff)).toContain('No differences.');
  });

  it('shows a tool switch change per model, and the policy-wide list without counting it twice', () => {
    const switched = shopPolicySpec();
    switchShopTools(switched);
    const diff = diffPolicies(definePolicy(shopPolicySpec()), definePolicy(switched), schema);
    const tools = diff.changes.filter((c) => c.group === 'tools');
    expect(tools.find((c) => c.at === 'tools')).toEqual({ group: 'tools', effect: 'change', at: 'tools', message: 'generic tools offered: db_aggregate, db_approval_status removed' });
    expect(tools.filter((c) => c.at.startsWith('Customer.')).map((c) => c.message)).toEqual([
      'Customer: db_describe_schema now switched off (no generic tool left: domain tools only)',
      'Customer: db_query now switched off (no generic tool left: domain tools only)',
      'Customer: db_get now switched off (no generic tool left: domain tools only)',
      'Customer: db_aggregate now switched off (no generic tool left: domain tools only)',
      'Customer: db_update now switched off (no generic tool left: domain tools only)',
      'Customer: db_preview_write now switched off (no generic tool left: domain tools only)',
    ]);
    expect(tools.every((c) => c.effect !== 'grant')).toBe(true);
    expect(diff.grants).toBe(0);
    expect(diff.restricts).toBe(tools.length - 1);
    expect(diffText(diff)).toContain('Order: db_update now switched off');
    // Back again: each switch is a grant.
    const back = diffPolicies(definePolicy(switched), definePolicy(shopPolicySpec()), schema);
    expect(messages(back, 'grant')).toContain('SupportTicket: db_query now switched on');
    expect(back.grants).toBe(diff.restricts);
  });
});
