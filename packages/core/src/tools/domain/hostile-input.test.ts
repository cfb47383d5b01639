import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createOrmAI } from '../../create-ormai.js';
import { OrmAIError } from '../../errors.js';
import { definePolicy } from '../../policy/define-policy.js';
import { DEFAULT_INTERNAL } from '../../policy/profiles.js';
import { memoryAdapter, TICKET_SCHEMA } from '../../test-support/memory-adapter.js';
import { defineTool } from './define-tool.js';

/**
 * Hostile input to a domain tool and, through a tool that passes the model's input straight on, to the
 * data handle: the same limits as the generic tools (size and depth before parsing, strict schemas),
 * refused as `invalid_input` before any statement runs.
 */
const ACME = { tenantId: 'acme', userId: 'u-acme' };

function setup() {
  const adapter = memoryAdapter(TICKET_SCHEMA, { Ticket: [{ id: 1, tenantId: 'acme', status: 'open', notes: 'Delivered late' }] });
  const policy = definePolicy({ profile: DEFAULT_INTERNAL, tenantScope: { field: 'tenantId' }, models: { Ticket: { fields: { notes: 'sanitize' } } } });
  const anything = vi.fn(() => 'ran');
  const passThrough = defineTool({
    name: 'pass_through',
    description: 'd',
    input: z.object({ search: z.unknown() }),
    access: 'read',
    // The careless author: the model's object goes to the handle as it came.
    run: async ({ search }, { db }) => {
      try {
        return await db.search(search as never);
      } catch (error) {
        return OrmAIError.isInstance(error) ? { refused: error.code } : { other: true };
      }
    },
  });
  const loose = defineTool({ name: 'loose', description: 'd', input: z.any(), access: 'read', run: anything });
  return { adapter, anything, ormai: createOrmAI({ adapter, policy, secret: 's', tools: [passThrough, loose] }) };
}

const nested = (depth: number): unknown => {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

const deepNot = (depth: number): unknown => {
  let filter: unknown = { field: 'status', op: 'eq', value: 'open' };
  for (let i = 0; i < depth; i++) filter = { not: filter };
  return filter;
};

describe('hostile input to domain tools', () => {
  it("a domain tool's input is bounded in size and depth before its schema sees it", async () => {
    const { ormai, anything } = setup();
    for (const input of [nested(100), { text: 'x'.repeat(70_000) }, Array.from({ length: 70_000 }, () => 1)]) {
      const result = await ormai.callTool('loose', input, ACME);
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(anything).not.toHaveBeenCalled();
    expect(await ormai.callTool('loose', nested(20), ACME)).toEqual({ ok: true, data: 'ran' });
  });

  it('the handle checks what the code passes on like model input: strict keys, bounds, no NUL, no lone surrogate', async () => {
    const { ormai, adapter } = setup();
    const base = { model: 'Ticket', field: 'notes', contains: 'late' };
    const hostile: unknown[] = [
      { ...base, tenantId: 'globex' },
      JSON.parse('{"model":"Ticket","field":"notes","contains":"late","__proto__":{"limit":1}}'),
      { ...base, where: JSON.parse('{"field":"status","op":"eq","value":"open","__proto__":{"field":"tenantId"}}') },
      { ...base, contains: '' },
      { ...base, contains: 'x'.repeat(201) },
      { ...base, contains: 'late\u0000' },
      { ...base, contains: 'late\ud800' },
      { ...base, limit: Number.NaN },
      { ...base, limit: 1.5 },
      { ...base, select: Array.from({ length: 101 }, () => 'id') },
      { ...base, field: 'notes\u200b' },
      { ...base, model: 'Ticket; DROP TABLE tickets' },
      { ...base, where: deepNot(7) },
      { ...base, include: [{ relation: 'x', extra: 1 }] },
      'not an object',
    ];
    for (const search of hostile) {
      expect(await ormai.callTool('pass_through', { search }, ACME), JSON.stringify(search)?.slice(0, 80)).toEqual({ ok: true, data: { refused: 'invalid_input' } });
    }
    expect(adapter.filters).toHaveLength(0);
  });
});
