import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { MemoryAuditSink } from '../../audit/memory-sink.js';
import { createOrmAI } from '../../create-ormai.js';
import { OrmAIError } from '../../errors.js';
import { definePolicy } from '../../policy/define-policy.js';
import { DEFAULT_INTERNAL } from '../../policy/profiles.js';
import type { PolicySpec } from '../../policy/define-policy.js';
import type { DomainTool, ReadDataHandle } from '../../spec/domain-tools.js';
import type { ToolResult } from '../../spec/tools.js';
import { memoryAdapter, TICKET_SCHEMA } from '../../test-support/memory-adapter.js';
import { defineTool } from './define-tool.js';
import { ToolDefinitionError } from './tool-definition-error.js';


const rows = () => ({
  Ticket: [
    { id: 1, tenantId: 'acme', status: 'open', notes: 'Call jane@acme.test back about the refund', apiToken: 'TOKEN-ACME' },
    { id: 2, tenantId: 'acme', status: 'closed', notes: 'Delivered late', apiToken: 'TOKEN-ACME-2' },
    { id: 3, tenantId: 'globex', status: 'open', notes: 'GLOBEX refund, card 4242 4242 4242 4242', apiToken: 'TOKEN-GLOBEX' },
  ],
});

const ACME = { tenantId: 'acme', userId: 'u-acme' };

const spec = (extra: Partial<PolicySpec> = {}): PolicySpec => ({
  profile: DEFAULT_INTERNAL,
  tenantScope: { field: 'tenantId' },
  models: {
    Ticket: {
      fields: { notes: 'sanitize' },
      write: { update: true, writableFields: ['status'], requireReason: true, approvals: [{ name: 'reopen', operations: ['update'], when: { field: 'status', op: 'eq', value: 'reopened' }, approverRoles: ['lead'], slaMs: 60_000 }] },
    },
  },
  ...extra,
});

function setup(options: { tools?: DomainTool[]; policy?: PolicySpec; onError?: (error: unknown) => void } = {}) {
  const adapter = memoryAdapter(TICKET_SCHEMA, rows());
  const sink = new MemoryAuditSink();
  const ormai = createOrmAI({ adapter, policy: definePolicy(options.policy ?? spec()), secret: 's', audit: { sink }, tools: options.tools, onError: options.onError });
  return { adapter, sink, ormai };
}

const errorOf = (result: ToolResult) => (result.ok ? null : result.error);

const searchTickets = defineTool({
  name: 'search_tickets',
  description: 'Search your tickets by words in their notes.',
  input: z.object({ text: z.string().min(2), status: z.enum(['open', 'closed']).optional() }),
  access: 'read',
  async run({ text, status }, { db }) {
    const { rows } = await db.search({ model: 'Ticket', field: 'notes', contains: text, select: ['id', 'notes'], ...(status ? { where: { field: 'status', op: 'eq', value: status } } : {}) });
    return { tickets: rows };
  },
});

describe('defineTool', () => {
  it('refuses names a model provider would refuse, the db_ prefix, and missing parts', () => {
    const base = { description: 'd', input: z.object({}), access: 'read' as const, run: () => null };
    for (const name of ['', 'has space', '1tool', 'a'.repeat(65), 'db_query', 'DB_custom', 'a.b']) {
      expect(() => defineTool({ ...base, name }), name).toThrow(ToolDefinitionError);
    }
    expect(() => defineTool({ ...base, name: 'ok', description: ' ' })).toThrow(/description/);
    expect(() => defineTool({ ...base, name: 'ok', input: {} as z.ZodType })).toThrow(/zod/);
    expect(() => defineTool({ ...base, name: 'ok', access: 'admin' as 'read' })).toThrow(/access/);
    expect(Object.isFrozen(defineTool({ ...base, name: 'ok' }))).toBe(true);
  });

  it('createOrmAI and withTools refuse a second tool of the same name, and tools not made by defineTool', () => {
    expect(() => setup({ tools: [searchTickets, searchTickets] })).toThrow(/already offered/);
    const { ormai } = setup({ tools: [searchTickets] });
    expect(() => ormai.withTools(searchTickets)).toThrow(ToolDefinitionError);
    const handMade = { name: 'hand_made', description: 'd', input: z.object({}), access: 'read', run: () => null } as DomainTool;
    expect(() => ormai.withTools(handMade)).toThrow(/defineTool/);
  });
});

describe('domain tools run through the pipeline', () => {
  it('are offered after the generic tools, by createOrmAI or withTools, and called by name', async () => {
    const { ormai } = setup();
    expect(ormai.tools().map((t) => t.name)).not.toContain('search_tickets');
    const withSearch = ormai.withTools(searchTickets);
    const names = withSearch.tools().map((t) => t.name);
    expect(names.at(-1)).toBe('search_tickets');
    expect(names).toContain('db_query');
    expect(withSearch.tools().at(-1)).toMatchObject({ access: 'read', description: searchTickets.description });
    // The instance it came from is unchanged.
    expect(errorOf(await ormai.callTool('search_tickets', { text: 'refund' }, ACME))?.code).toBe('unknown_tool');
    const result = await withSearch.callTool('search_tickets', { text: 'refund' }, ACME);
    expect(result).toEqual({ ok: true, data: { tickets: [{ id: 1, notes: 'Call [email] back about the refund' }] } });
  });

  it('validates input against the tool schema: invalid_input, and the tool never runs', async () => {
    const run = vi.fn();
    const tool = defineTool({ name: 'strict_tool', description: 'd', input: z.strictObject({ n: z.number().int() }), access: 'read', run });
    const { ormai } = setup({ tools: [tool] });
    for (const input of [{ n: 'x' }, { n: 1, extra: true }, null, { n: 1.5 }]) {
      const error = errorOf(await ormai.callTool('strict_tool', input, ACME));
      expect(error?.code, JSON.stringify(input)).toBe('invalid_input');
    }
    expect(errorOf(await ormai.callTool('strict_tool', { n: 1 }, { userId: 'no-tenant' }))?.code).toBe('invalid_context');
    expect(run).toHaveBeenCalledTimes(0);
  });

  it('an error thrown by run is internal_error for the agent and reaches onError whole', async () => {
    const onError = vi.fn();
    const boom = new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2');
    const tool = defineTool({ name: 'broken', description: 'd', input: z.object({}), access: 'read', run: () => Promise.reject(boom) });
    const { ormai, sink } = setup({ tools: [tool], onError });
    const result = await ormai.callTool('broken', {}, ACME);
    expect(errorOf(result)?.code).toBe('internal_error');
    expect(JSON.stringify(result)).not.toMatch(/ECONNREFUSED|hunter2/);
    expect(onError).toHaveBeenCalledWith(boom, { tool: 'broken' });
    await ormai.audit.flush();
    expect(sink.all().map((r) => [r.action, r.decision])).toEqual([['broken', 'internal_error']]);
  });

  it('the handle refuses what the policy refuses: another tenant, a denied field, a filter on the tenant', async () => {
    const attempts: Record<string, (db: ReadDataHandle) => Promise<unknown>> = {
      otherTenant: (db) => db.get({ model: 'Ticket', id: 3 }),
      deniedField: (db) => db.query({ model: 'Ticket', select: ['apiToken'] }),
      tenantFilter: (db) => db.query({ model: 'Ticket', where: { field: 'tenantId', op: 'eq', value: 'globex' } }),
      filterOnSanitized: (db) => db.query({ model: 'Ticket', where: { field: 'notes', op: 'contains', value: 'refund' } }),
      unknownModel: (db) => db.query({ model: 'Customer' }),
    };
    const tool = defineTool({
      name: 'probe',
      description: 'd',
      input: z.object({ attempt: z.string() }),
      access: 'read',
      run: ({ attempt }, { db }) => attempts[attempt]!(db),
    });
    const { ormai, adapter } = setup({ tools: [tool] });
    const codes: Record<string, string | undefined> = {};
    for (const attempt of Object.keys(attempts)) {
      const result = await ormai.callTool('probe', { attempt }, ACME);
      codes[attempt] = errorOf(result)?.code;
      expect(JSON.stringify(result)).not.toMatch(/GLOBEX|TOKEN-/);
    }
    expect(codes).toEqual({ otherTenant: 'not_found', deniedField: 'field_not_allowed', tenantFilter: 'tenant_mismatch', filterOnSanitized: 'field_not_allowed', unknownModel: 'model_not_allowed' });
    // Every statement the handle ran carried the caller's tenant.
    expect(adapter.filters.length).toBeGreaterThan(0);
    for (const filter of adapter.filters) expect(JSON.stringify(filter)).toContain('{"kind":"cmp","field":"tenantId","op":"eq","value":"acme"}');
  });

  it('a handle kept past its call stops working: nothing is read outside a record', async () => {
    let kept: ReadDataHandle | undefined;
    const tool = defineTool({ name: 'keeper', description: 'd', input: z.object({}), access: 'read', run: (_input, { db }) => void (kept = db) });
    const onError = vi.fn();
    const { ormai, adapter } = setup({ tools: [tool], onError });
    expect(await ormai.callTool('keeper', {}, ACME)).toEqual({ ok: true, data: undefined });
    const reads = adapter.filters.length;
    await expect(kept!.query({ model: 'Ticket' })).rejects.toMatchObject({ code: 'internal_error' });
    expect(adapter.filters).toHaveLength(reads);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('finished keeper call') }), { tool: 'keeper' });
  });

  it('a refusal the tool catches is an OrmAIError it can answer with', async () => {
    const tool = defineTool({
      name: 'careful',
      description: 'd',
      input: z.object({}),
      access: 'read',
      async run(_input, { db }) {
        try {
          await db.query({ model: 'Ticket', select: ['apiToken'] });
          return 'read it';
        } catch (error) {
          return OrmAIError.isInstance(error) ? `refused: ${error.code}` : 'other';
        }
      },
    });
    const { ormai } = setup({ tools: [tool] });
    expect(await ormai.callTool('careful', {}, ACME)).toEqual({ ok: true, data: 'refused: field_not_allowed' });
  });

  it('a read tool gets no write methods; a write tool writes with a reason, under approval gates, each write audited in its own record', async () => {
    const setStatus = defineTool({
      name: 'set_status',
      description: 'd',
      input: z.object({ id: z.number(), status: z.string(), why: z.string().optional() }),
      access: 'write',
      run: ({ id, status, why }, { db }) => db.update({ model: 'Ticket', id, values: { status }, ...(why ? { reason: why } : {}) }),
    });
    const peek = defineTool({ name: 'peek', description: 'd', input: z.object({}), access: 'read', run: (_input, { db }) => Object.keys(db).sort() });
    const { ormai, sink, adapter } = setup({ tools: [setStatus, peek] });
    expect(await ormai.callTool('peek', {}, ACME)).toEqual({ ok: true, data: ['aggregate', 'get', 'query', 'search'] });

    expect(errorOf(await ormai.callTool('set_status', { id: 1, status: 'closed' }, ACME))?.code).toBe('reason_required');
    expect(errorOf(await ormai.callTool('set_status', { id: 3, status: 'closed', why: 'customer confirmed the fix' }, ACME))?.code).toBe('not_found');
    const done = await ormai.callTool('set_status', { id: 1, status: 'closed', why: 'customer confirmed the fix' }, ACME, { toolCallId: 'call-7' });
    expect(done).toMatchObject({ ok: true, data: { row: { id: 1, status: 'closed', notes: 'Call [email] back about the refund' } } });
    expect(JSON.stringify(done)).not.toContain('TOKEN');
    expect(adapter.rows.Ticket!.find((r) => r.id === 3)!.status).toBe('open');
    const gated = errorOf(await ormai.callTool('set_status', { id: 2, status: 'reopened', why: 'the customer wrote again' }, ACME));
    expect(gated).toMatchObject({ code: 'approval_required', details: { rule: 'reopen', model: 'Ticket' } });
    expect(adapter.rows.Ticket!.find((r) => r.id === 2)!.status).toBe('closed');

    await ormai.audit.flush();
    const records = sink.all().map((r) => ({ action: r.action, decision: r.decision, toolCallId: r.toolCallId, rowsAffected: r.rowsAffected, reason: r.payload.reason, model: r.model }));
    expect(records.filter((r) => r.action === 'set_status')).toEqual([
      { action: 'set_status', decision: 'reason_required', toolCallId: null, rowsAffected: null, reason: null, model: 'Ticket' },
      { action: 'set_status', decision: 'not_found', toolCallId: null, rowsAffected: null, reason: 'customer confirmed the fix', model: 'Ticket' },
      { action: 'set_status', decision: 'allowed', toolCallId: 'call-7', rowsAffected: 1, reason: 'customer confirmed the fix', model: 'Ticket' },
      { action: 'set_status', decision: 'approval_required', toolCallId: null, rowsAffected: null, reason: 'the customer wrote again', model: 'Ticket' },
    ]);
    // Each write the handle made is a db_update call of its own (an allowed one recorded in its transaction, so
    // first in the chain), linked by the tool call id, or without one by the domain call's record id.
    const writes = sink.all().filter((r) => r.action === 'db_update');
    expect(writes.map((r) => r.decision).sort()).toEqual(['allowed', 'approval_required', 'not_found', 'reason_required']);
    expect(writes.find((r) => r.decision === 'allowed')).toMatchObject({ toolCallId: 'call-7', rowsAffected: 1, payload: { reason: 'customer confirmed the fix' } });
    const firstDomainCall = sink.all().find((r) => r.action === 'set_status')!;
    expect(writes.find((r) => r.decision === 'reason_required')!.toolCallId).toBe(firstDomainCall.id);
  });

  it("records the domain call's input by the keys its schema declares, scrubbed", async () => {
    const { ormai, sink } = setup({ tools: [searchTickets] });
    await ormai.callTool('search_tickets', { text: 'mail jane@acme.test', status: 'open', injected: 'DROP TABLE' }, ACME);
    await ormai.callTool('search_tickets', { text: 'refund', status: 'open' }, ACME);
    await ormai.audit.flush();
    const [refused, allowed] = sink.all();
    expect(refused).toMatchObject({ action: 'search_tickets', decision: 'invalid_input', payload: { input: { text: 'mail [email]', status: 'open', '[unknown key 1]': '[redacted]' } } });
    expect(allowed).toMatchObject({ action: 'search_tickets', decision: 'allowed', model: 'Ticket', rowsReturned: 1, payload: { input: { text: 'refund', status: 'open' } } });
    expect(JSON.stringify(sink.all())).not.toMatch(/jane@|DROP TABLE/);
  });

  it('search refuses a term that looks like personal data: it would confirm what the result hides', async () => {
    const { ormai } = setup({ tools: [searchTickets] });
    for (const text of ['jane@acme.test', '4242 4242 4242 4242', '+1 555 010 4242']) {
      expect(errorOf(await ormai.callTool('search_tickets', { text }, ACME)), text).toMatchObject({ code: 'invalid_input', details: { field: 'notes' } });
    }
  });

  it("the handle's reads reserve rows against the policy's row quotas", async () => {
    const { ormai } = setup({ tools: [searchTickets], policy: spec({ quotas: { rowsPerHour: 60 } }) });
    // Each search reserves the model's maxRows (200 in INTERNAL): over the hourly quota of 60 rows.
    expect(errorOf(await ormai.callTool('search_tickets', { text: 'refund' }, ACME))).toMatchObject({ code: 'quota_exceeded', details: { quota: 'rowsPerHour' } });
  });
});
