import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createOrmAI } from '../create-ormai.js';
import { PolicyDefinitionError } from '../errors.js';
import type { SchemaInfo } from '../schema-info.js';
import type { ToolResult } from '../spec/tools.js';
import { memoryAdapter, memoryField } from '../test-support/memory-adapter.js';
import { defineTool } from '../tools/domain/define-tool.js';
import { definePolicy, policyHash, type PolicySpec } from './define-policy.js';
import { DEFAULT_INTERNAL } from './profiles.js';

const fields = () => ({
  id: memoryField('id', 'integer', { primaryKey: true, allowNull: false, indexed: true }),
  tenantId: memoryField('tenantId', 'string', { indexed: true }),
  customerId: memoryField('customerId', 'integer'),
  status: memoryField('status', 'string'),
});
const SCHEMA: SchemaInfo = {
  models: {
    Customer: { name: 'Customer', primaryKey: ['id'], fields: fields(), relations: { tickets: { name: 'tickets', kind: 'hasMany', target: 'Ticket', sourceKey: 'id', targetKey: 'customerId' } } },
    Ticket: { name: 'Ticket', primaryKey: ['id'], fields: fields(), relations: {} },
    Order: { name: 'Order', primaryKey: ['id'], fields: fields(), relations: {} },
  },
};
const ROWS = { Ticket: [{ id: 1, tenantId: 'acme', customerId: 1, status: 'open' }, { id: 2, tenantId: 'globex', customerId: 9, status: 'open' }] };
const ACME = { tenantId: 'acme', userId: 'u1' };
const write = { update: true, writableFields: ['status'] };

const ormaiFor = (spec: Omit<PolicySpec, 'profile' | 'tenantScope'>, tools = [] as Parameters<typeof createOrmAI>[0]['tools']) =>
  createOrmAI({ adapter: memoryAdapter(SCHEMA, structuredClone(ROWS)), policy: definePolicy({ profile: DEFAULT_INTERNAL, tenantScope: { field: 'tenantId' }, ...spec }), tools });
const errorOf = (result: ToolResult) => (result.ok ? null : result.error);

const openTickets = defineTool({
  name: 'open_tickets',
  description: 'Your open tickets.',
  input: z.object({}),
  access: 'read',
  run: async (_input, { db }) => (await db.query({ model: 'Ticket', where: { field: 'status', op: 'eq', value: 'open' } })).rows,
});

describe('tool switches', () => {
  it('a model restricted to domain tools is out of every generic tool; its domain tool still reads it, tenant-scoped', async () => {
    const ormai = ormaiFor({ models: { Customer: { relations: ['tickets'] }, Ticket: { tools: [] }, Order: {} } }, [openTickets]);
    const unknown = errorOf(await ormai.callTool('db_query', { model: 'Nope' }, ACME));
    const switchedOff = errorOf(await ormai.callTool('db_query', { model: 'Ticket' }, ACME));
    // The same answer as for a model the policy does not know: nothing tells the agent Ticket exists.
    expect(switchedOff).toEqual({ ...unknown, message: unknown!.message.replace('Nope', 'Ticket'), details: { ...unknown!.details, model: 'Ticket' } });
    expect(switchedOff).toMatchObject({ code: 'model_not_allowed', details: { allowedModels: ['Customer', 'Order'] } });
    expect(errorOf(await ormai.callTool('db_get', { model: 'Ticket', id: 1 }, ACME))?.code).toBe('model_not_allowed');
    expect(errorOf(await ormai.callTool('db_aggregate', { model: 'Ticket', op: 'count' }, ACME))?.code).toBe('model_not_allowed');
    // Not through an include either, and the relation is not offered.
    expect(errorOf(await ormai.callTool('db_get', { model: 'Customer', id: 1, include: [{ relation: 'tickets' }] }, ACME))).toMatchObject({
      code: 'relation_not_allowed',
      details: { allowedRelations: [] },
    });
    const described = await ormai.callTool('db_describe_schema', {}, ACME);
    expect(described.ok && (described.data as { models: Array<{ name: string; relations: unknown[] }> }).models.map((m) => [m.name, m.relations.length])).toEqual([['Customer', 0], ['Order', 0]]);
    expect(await ormai.callTool('open_tickets', {}, ACME)).toEqual({ ok: true, data: [{ id: 1, customerId: 1, status: 'open' }] });
  });

  it('per model, only the listed generic tools; tools no model allows are not offered (unknown_tool)', async () => {
    const ormai = ormaiFor({ readOnly: false, models: { Customer: { tools: ['db_get'], write }, Ticket: { tools: ['db_get', 'db_query'] }, Order: { tools: ['db_get'] } } });
    expect(ormai.tools().map((t) => t.name)).toEqual(['db_query', 'db_get']);
    expect(errorOf(await ormai.callTool('db_aggregate', { model: 'Ticket', op: 'count' }, ACME))).toMatchObject({ code: 'unknown_tool', details: { tools: ['db_query', 'db_get'] } });
    expect(errorOf(await ormai.callTool('db_query', { model: 'Customer' }, ACME))).toMatchObject({ code: 'model_not_allowed', details: { allowedModels: ['Ticket'] } });
    expect(await ormai.callTool('db_query', { model: 'Ticket' }, ACME)).toMatchObject({ ok: true });
  });

  it('write tools and their descriptions name only the models that allow them', () => {
    const ormai = ormaiFor({ readOnly: false, models: { Customer: { write, tools: ['db_query'] }, Ticket: { write }, Order: { write } } });
    const update = ormai.tools().find((t) => t.name === 'db_update')!;
    expect(update.description).toContain('Ticket, Order');
    expect(update.description).not.toContain('Customer');
    const preview = ormaiFor({ readOnly: false, models: { Customer: { write, tools: ['db_update'] }, Ticket: {}, Order: {} } }).tools().map((t) => t.name);
    expect(preview).toEqual(['db_describe_schema', 'db_query', 'db_get', 'db_aggregate', 'db_update']);
  });

  it('the global switch: [] offers domain tools only', async () => {
    const ormai = ormaiFor({ tools: [], models: { Customer: {}, Ticket: {}, Order: {} } }, [openTickets]);
    expect(ormai.tools().map((t) => t.name)).toEqual(['open_tickets']);
    expect(errorOf(await ormai.callTool('db_query', { model: 'Ticket' }, ACME))).toMatchObject({ code: 'unknown_tool', details: { tools: ['open_tickets'] } });
    const some = ormaiFor({ tools: ['db_get', 'db_query'], models: { Customer: { tools: ['db_get', 'db_aggregate'] }, Ticket: {}, Order: {} } });
    expect(some.tools().map((t) => t.name)).toEqual(['db_query', 'db_get']);
    expect(errorOf(await some.callTool('db_query', { model: 'Customer' }, ACME))?.code).toBe('model_not_allowed');
  });

  it('are plain policy data: validated, round-tripped, and absent from policies that do not use them (same hash)', () => {
    expect(() => definePolicy({ tenantScope: false, models: { A: { tools: ['db_drop' as 'db_get'] } } })).toThrow(PolicyDefinitionError);
    expect(() => definePolicy({ tenantScope: false, tools: ['sql' as 'db_get'], models: {} })).toThrow(PolicyDefinitionError);
    const policy = definePolicy({ tenantScope: false, tools: ['db_get', 'db_get'], models: { A: { tools: [] } } });
    expect(policy.tools).toEqual(['db_get']);
    expect(definePolicy(JSON.parse(JSON.stringify(policy)))).toEqual(policy);
    const plain = definePolicy({ tenantScope: false, models: { A: {} } });
    expect('tools' in plain).toBe(false);
    expect(policyHash(plain)).not.toBe(policyHash(definePolicy({ tenantScope: false, models: { A: { tools: ['db_get'] } } })));
  });
});
