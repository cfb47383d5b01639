import { definePolicy, policyHash, type Policy, type SchemaInfo } from '@ormai/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { shopPolicySpec } from '../test-support/index.js';
import { policyMarkdown } from './export-markdown.js';
import { buildPolicyView, type ModelView, type PolicyView } from './policy-view.js';
import { shopSchema } from './test-support/shop-schema.js';

const model = (view: PolicyView, name: string): ModelView => view.models.find((m) => m.name === name)!;
const field = (view: PolicyView, name: string, f: string) => model(view, name).fields!.find((x) => x.name === f)!;

describe.each(['sqlite', 'postgres'] as const)('policy export on %s', (dialect) => {
  let schema: SchemaInfo;
  let policy: Policy;
  beforeAll(async () => {
    schema = await shopSchema(dialect);
    policy = definePolicy({ ...shopPolicySpec(), quotas: { toolCallsPerMinute: 60, rowsPerDay: 5_000 } });
  });

  it('binds the policy to the schema: every field with the rule the tools enforce', () => {
    const view = buildPolicyView(policy, schema);
    expect(view).toMatchObject({ policyHash: policyHash(policy), basis: 'schema', profile: 'prod', quotas: { toolCallsPerMinute: 60, rowsPerDay: 5_000, onStoreFailure: 'fail_closed' } });
    expect(view.audit.onFailure).toBe('fail_closed');
    expect(field(view, 'Customer', 'passwordHash')).toMatchObject({ rule: 'deny', readable: false, filterable: false, masked: null });
    expect(field(view, 'Customer', 'email')).toMatchObject({ rule: 'email', readable: true, filterable: false, masked: 'email' });
    expect(field(view, 'Customer', 'city')).toMatchObject({ rule: 'allow', readable: true, filterable: true, writable: true });
    expect(field(view, 'Customer', 'tenantId')).toMatchObject({ readable: false, writable: false });
    expect(model(view, 'Product').tenantField).toBeNull();
    expect(model(view, 'Order').relations).toContainEqual({ name: 'customer', kind: 'belongsTo', target: 'Customer' });
    expect(model(view, 'Order').budgets.db_query).toEqual({ maxRows: 25, maxScanRows: 100, statementTimeoutMs: 2_000, maxJoinDepth: 2 });
    expect(model(view, 'Order').write).toMatchObject({
      operations: ['update', 'bulk_update'],
      requireReason: true,
      dryRunAbove: 10,
      maxAffectedRows: 50,
      maxWritesPerMinute: 20,
      approvals: [{ name: 'refund', approverRoles: ['finance'], slaMs: 3_600_000, fieldsChanged: ['status'] }],
    });
    expect(model(view, 'OrderItem').write).toBeNull();
    // The JSON document carries the policy itself, so the export alone reproduces the hash.
    expect(policyHash(JSON.parse(JSON.stringify(view)).policy)).toBe(view.policyHash);
  });

  it('writes a Markdown report an auditor can read: hash, field tables, gates, approvers and SLAs', () => {
    const md = policyMarkdown(buildPolicyView(policy, schema));
    const lines = md.split('\n');
    expect(lines[0]).toBe('# OrmAI policy report');
    expect(lines).toContain(`Policy hash: \`${policyHash(policy)}\``);
    expect(lines).toContain('| passwordHash | string | never (denied) | no | no |');
    expect(lines).toContain('| email | string | masked (email: j***@acme.test) | no | no |');
    expect(lines).toContain('| city | string | in clear | yes (indexed) | yes |');
    expect(lines).toContain('| tenantId | string | never (tenant field) | no | no |');
    expect(lines).toContain('| notes | string | never (denied) | no | no |');
    expect(md).toContain('| refund | update, bulk_update | changes `status` and new values match `{"field":"status","op":"eq","value":"refunded"}` | finance | 1 h |');
    expect(lines).toContain('| a reason on every change | required |');
    expect(lines).toContain('| tool calls per minute | 60 |');
    expect(lines).toContain('| rows returned per hour | not limited |');
    expect(lines).toContain('| when the audit sink cannot write | calls are refused (fail_closed) |');
    expect(lines).toContain('| db_aggregate | 25 | 100 | 2 s | 2 |');
    expect(md).toContain('### Product\n\nTenant-free (shared reference data)');
    expect(md).toContain('### OrderItem');
    expect(md).toMatch(/### OrderItem[\s\S]*?The agent cannot change this model\./);
  });

  it('without a schema lists the stated rules, with core defaults for unstated write limits', () => {
    const view = buildPolicyView(policy);
    expect(view.basis).toBe('policy');
    expect(model(view, 'SupportTicket')).toMatchObject({ fields: null, statedFields: { notes: 'deny' }, tenantField: 'tenantId', relations: [{ name: 'customer', kind: null, target: null }] });
    expect(model(view, 'Customer').write).toMatchObject({ operations: ['update'], maxWritesPerMinute: 20, maxAffectedRows: 100, dryRunAbove: 10, requireReason: true });
    const md = policyMarkdown(view);
    expect(md).toContain('Exported from the policy file alone (no database)');
    expect(md).toContain('| notes | never (denied) |');
    expect(md).toContain('Includes (joins): `customer`.');
  });
});
