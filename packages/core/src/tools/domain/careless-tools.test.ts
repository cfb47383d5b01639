import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { MemoryAuditSink } from '../../audit/memory-sink.js';
import { createOrmAI } from '../../create-ormai.js';
import { definePolicy } from '../../policy/define-policy.js';
import { DEFAULT_INTERNAL } from '../../policy/profiles.js';
import type { FieldSanitizer } from '../../spec/domain-tools.js';
import { memoryAdapter, TICKET_SCHEMA } from '../../test-support/memory-adapter.js';
import { defineTool } from './define-tool.js';

/** What a careless domain-tool or sanitizer author writes, and what OrmAI must still guarantee. */
const ACME = { tenantId: 'acme', userId: 'u-acme' };

function setup(options: { sanitizer?: FieldSanitizer; delayMs?: number } = {}) {
  const rows = [
    { id: 1, tenantId: 'acme', status: 'open', notes: 'Call jane@acme.test back' },
    { id: 2, tenantId: 'acme', status: 'open', notes: 'Delivered late' },
    { id: 3, tenantId: 'globex', status: 'open', notes: 'GLOBEX note' },
  ];
  const memory = memoryAdapter(TICKET_SCHEMA, { Ticket: rows });
  const delay = options.delayMs;
  const adapter = delay ? { ...memory, select: async (...args: Parameters<typeof memory.select>) => (await new Promise((r) => setTimeout(r, delay)), memory.select(...args)) } : memory;
  const policy = definePolicy({ profile: DEFAULT_INTERNAL, tenantScope: { field: 'tenantId' }, models: { Ticket: { fields: { notes: 'sanitize' } } } });
  const sink = new MemoryAuditSink();
  const onError = vi.fn();
  const sanitizers = options.sanitizer ? { Ticket: { notes: options.sanitizer } } : undefined;
  return { sink, onError, ormai: createOrmAI({ adapter, policy, secret: 's', audit: { sink }, onError, ...(sanitizers ? { sanitizers } : {}) }) };
}

describe('careless domain tools', () => {
  it('an input the model cannot be told about (a Date, a BigInt, z.custom) is refused at definition, not on every model call', () => {
    for (const input of [z.object({ when: z.date() }), z.object({ n: z.bigint() }), z.object({ x: z.custom<string>(() => true) })]) {
      expect(() => defineTool({ name: 'odd', description: 'd', input, access: 'read', run: () => null })).toThrow(/JSON Schema/);
    }
    expect(() => defineTool({ name: 'fine', description: 'd', input: z.object({ n: z.string().transform((s) => s.length) }), access: 'read', run: () => null })).not.toThrow();
  });

  it("a read the code starts and does not wait for still lands in the call's record", async () => {
    const fireAndForget = defineTool({
      name: 'fire_and_forget',
      description: 'd',
      input: z.object({}),
      access: 'read',
      run: (_input, { db }) => {
        void db.query({ model: 'Ticket', select: ['id'] });
        return 'started';
      },
    });
    const { ormai, sink } = setup({ delayMs: 20 });
    expect(await ormai.withTools(fireAndForget).callTool('fire_and_forget', {}, ACME)).toEqual({ ok: true, data: 'started' });
    await ormai.audit.flush();
    expect(sink.all().map((r) => [r.action, r.decision, r.model, r.rowsReturned])).toEqual([['fire_and_forget', 'allowed', 'Ticket', 2]]);
  });

  it('code that rewrites its context or its handle still reads as the caller, in the caller\'s tenant', async () => {
    const tamper = defineTool({
      name: 'tamper',
      description: 'd',
      input: z.object({}),
      access: 'read',
      run: async (_input, ctx) => {
        const attempts = [
          () => Object.assign(ctx.context, { tenantId: 'globex' }),
          () => Object.assign(ctx.db, { query: () => 'mine' }),
          () => Object.defineProperty(ctx, 'db', { value: null }),
        ];
        const failed = attempts.map((attempt) => {
          try {
            attempt();
            return false;
          } catch {
            return true;
          }
        });
        return { failed, rows: (await ctx.db.query({ model: 'Ticket', select: ['id'] })).rows, tenant: ctx.context.tenantId };
      },
    });
    const { ormai } = setup();
    expect(await ormai.withTools(tamper).callTool('tamper', {}, ACME)).toEqual({ ok: true, data: { failed: [true, true, true], rows: [{ id: 1 }, { id: 2 }], tenant: 'acme' } });
  });

  it('two instances offering different tools of one name each audit their own input keys', async () => {
    const { ormai, sink } = setup();
    const byRef = ormai.withTools(defineTool({ name: 'lookup', description: 'd', input: z.object({ orderRef: z.string() }), access: 'read', run: () => 1 }));
    const byText = ormai.withTools(defineTool({ name: 'lookup', description: 'd', input: z.object({ text: z.string() }), access: 'read', run: () => 2 }));
    await byRef.callTool('lookup', { orderRef: 'ORD-1', text: 'not this one' }, ACME);
    await byText.callTool('lookup', { orderRef: 'not this one', text: 'late delivery' }, ACME);
    await ormai.audit.flush();
    expect(sink.all().map((r) => r.payload.input)).toEqual([
      { orderRef: 'ORD-1', '[unknown key 1]': '[redacted]' },
      { '[unknown key 1]': '[redacted]', text: 'late delivery' },
    ]);
  });
});

describe('a field sanitizer that misbehaves', () => {
  const read = async (sanitizer: FieldSanitizer) => {
    const { ormai, onError } = setup({ sanitizer });
    return { result: await ormai.callTool('db_query', { model: 'Ticket', select: ['notes'] }, ACME), onError };
  };

  it('one that throws: internal_error for the agent, the error (and the text in it) only to onError', async () => {
    const { result, onError } = await read((text) => {
      throw new Error(`cannot sanitize ${text}`);
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'internal_error' } });
    expect(JSON.stringify(result)).not.toContain('jane');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('jane@acme.test') }), { tool: 'db_query' });
  });

  it('one that gives back anything but text fails the read loudly, whatever it holds', async () => {
    const odd: Array<(text: string) => unknown> = [(t) => Promise.resolve(t), (t) => ({ t }), (t) => [t], () => 4242424242424242, () => undefined, () => null, (t) => new String(t)];
    for (const sanitizer of odd) {
      const { result, onError } = await read(sanitizer as FieldSanitizer);
      expect(result, String(sanitizer)).toMatchObject({ ok: false, error: { code: 'internal_error' } });
      expect(onError.mock.calls[0]![0]).toBeInstanceOf(TypeError);
    }
  });

  it("one that returns text: the scrub still runs after it", async () => {
    const { result } = await read((text) => `${text} (cc 4242 4242 4242 4242)`);
    expect(result).toEqual({ ok: true, data: { rows: [{ notes: 'Call [email] back (cc [card])' }, { notes: 'Delivered late (cc [card])' }], nextCursor: null } });
  });
});
