import { describe, expect, it } from 'vitest';
import { createOrmAI } from '../create-ormai.js';
import { definePolicy, type PolicySpec } from '../policy/define-policy.js';
import { DEFAULT_INTERNAL } from '../policy/profiles.js';
import type { SchemaInfo } from '../schema-info.js';
import { memoryAdapter, memoryField } from '../test-support/memory-adapter.js';

const model = (name: string) => ({
  name,
  primaryKey: ['id'],
  fields: { id: memoryField('id', 'integer', { primaryKey: true, allowNull: false }), tenantId: memoryField('tenantId', 'string'), status: memoryField('status', 'string') },
  relations: {},
});
const SCHEMA: SchemaInfo = { models: { Customer: model('Customer'), Ticket: model('Ticket'), Order: model('Order') } };

const descriptions = (models: PolicySpec['models']) => {
  const policy = definePolicy({ profile: DEFAULT_INTERNAL, tenantScope: { field: 'tenantId' }, models });
  const ormai = createOrmAI({ adapter: memoryAdapter(SCHEMA, {}), policy });
  return Object.fromEntries(ormai.tools().map((t) => [t.name, t.description]));
};

describe('read tool descriptions', () => {
  it('name the models once, in db_describe_schema, when every read tool takes every model', () => {
    const text = descriptions({ Customer: {}, Ticket: {}, Order: {} });
    expect(text.db_describe_schema).toContain('Customer, Ticket, Order');
    for (const tool of ['db_query', 'db_get', 'db_aggregate']) expect(text[tool]).not.toMatch(/Customer|Ticket|Order/);
  });

  it('name its models in a tool a policy switch limits to some of them, and only those', () => {
    const text = descriptions({ Customer: { tools: ['db_get', 'db_describe_schema'] }, Ticket: {}, Order: {} });
    expect(text.db_query).toContain('Only for Ticket, Order.');
    expect(text.db_aggregate).toContain('Only for Ticket, Order.');
    expect(text.db_query).not.toContain('Customer');
    expect(text.db_get).not.toMatch(/Customer|Ticket|Order/);
  });
});
