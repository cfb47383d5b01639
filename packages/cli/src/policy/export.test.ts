import { definePolicy, policyHash, type Policy, type SchemaInfo } from '@ormai/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { shopPolicySpec } from '../test-support/index.js';
import { shopDomainTools, switchShopTools } from '../test-support/shop-tools.js';
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

  it('lists the tool switches per model and the domain tools the config offers', () => {
    const spec = shopPolicySpec();
    switchShopTools(spec);
    const domainTools = shopDomainTools().map(({ name, access, description }) => ({ name, access, description }));
    const view = buildPolicyView(definePolicy(spec), schema, domainTools);
    expect(view.tools).not.toContain('db_aggregate');
    expect(model(view, 'Customer').tools).toEqual([]);
    expect(model(view, 'Order').tools).toEqual(['db_query', 'db_get']);
    expect(model(view, 'SupportTicket').tools).toEqual(['db_get', 'db_update']);
    expect(model(view, 'Product').tools).toEqual(['db_describe_schema', 'db_query', 'db_get']);
    expect(view.domainTools).toEqual([
      { name: 'find_customer', access: 'read', description: 'A customer of the current tenant, by id.' },
      { name: 'close_ticket', access: 'write', description: 'Closes a support ticket of the current tenant.' },
    ]);
    const lines = policyMarkdown(view).split('\n');
    expect(lines).toContain('Generic tools offered: `db_describe_schema`, `db_query`, `db_get`, `db_create`, `db_update`, `db_delete`, `db_bulk_update`, `db_preview_write`.');
    expect(lines).toContain('| Customer | none: domain tools only |');
    expect(lines).toContain('| SupportTicket | db_get, db_update |');
    expect(lines).toContain('| close_ticket | write | Closes a support ticket of the current tenant. |');
    // Without switches every model lists every tool that can touch it; from a file the domain tools are unknown.
    const plain = buildPolicyView(policy);
    expect(model(plain, 'Order').tools).toEqual(['db_describe_schema', 'db_query', 'db_get', 'db_aggregate', 'db_update', 'db_bulk_update', 'db_preview_write']);
    expect(model(plain, 'OrderItem').tools).toEqual(['db_describe_schema', 'db_query', 'db_get', 'db_aggregate']);
    expect(plain.domainTools).toBeNull();
    expect(policyMarkdown(plain)).toContain('Domain tools: not listed (exported from a policy file; they are defined in the application).');
  });
});
