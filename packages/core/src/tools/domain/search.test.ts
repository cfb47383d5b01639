import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createOrmAI } from '../../create-ormai.js';
import { definePolicy } from '../../policy/define-policy.js';
import { DEFAULT_INTERNAL } from '../../policy/profiles.js';
import type { Row } from '../../spec/adapter.js';
import type { ToolResult } from '../../spec/tools.js';
import { memoryAdapter, TICKET_SCHEMA } from '../../test-support/memory-adapter.js';
import { defineTool } from './define-tool.js';

/**
 * A hostile model searching a sanitized field term by term: a search must answer what the agent can read
 * (the notes as shown), never which rows hide a term in what the scrub or the field's sanitizer removed.
 */
const ACME = { tenantId: 'acme', userId: 'u-acme' };

const search = defineTool({
  name: 'search_notes',
  description: 'd',
  input: z.object({ text: z.string(), limit: z.number().optional(), cursor: z.string().optional(), ids: z.array(z.number()).optional() }),
  access: 'read',
  run: ({ text, limit, cursor, ids }, { db }) =>
    db.search({
      model: 'Ticket',
      field: 'notes',
      contains: text,
      select: ['id'],
      ...(limit ? { limit } : {}),
      ...(cursor ? { cursor } : {}),
      ...(ids ? { where: { field: 'id', op: 'in', value: ids } } : {}),
    }),
});

function setup(notes: string[], budgets: { maxRows?: number; maxScanRows?: number } = {}) {
  const rows = notes.map((note, i) => ({ id: i + 1, tenantId: 'acme', status: 'open', notes: note }));
  const policy = definePolicy({ profile: DEFAULT_INTERNAL, tenantScope: { field: 'tenantId' }, budgets, models: { Ticket: { fields: { notes: 'sanitize' } } } });
  const sanitizers = { Ticket: { notes: (text: string) => text.replaceAll('Jane Doe', '[name]') } };
  return createOrmAI({ adapter: memoryAdapter(TICKET_SCHEMA, { Ticket: rows }), policy, secret: 's', tools: [search], sanitizers });
}

type Page = { rows: Row[]; nextCursor: string | null };
const page = (result: ToolResult) => {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.data as Page;
};
const ids = (result: ToolResult) => page(result).rows.map((r) => r.id);

describe('ctx.db.search on a sanitized field', () => {
  const notes = [
    'Call jane.doe@example.com back about the refund',
    'Card 4111 1111 1111 1111 was charged twice',
    'Jane Doe asked for a refund',
    'Refund sent, the customer said thanks',
    'École fermée, colis renvoyé',
  ];

  it('finds no row by a piece of what the notes hide: an email, a card number, a name the sanitizer removes', async () => {
    const ormai = setup(notes);
    for (const text of ['jane.doe@', '@example.com', 'doe@', 'example.com', '4111 1111 1111', '1111 1111 1111 1111', 'Card 4111', 'Jane Doe', 'Jane', 'e D']) {
      expect(ids(await ormai.callTool('search_notes', { text }, ACME)), text).toEqual([]);
    }
  });

  it('finds every row whose notes, as shown, hold the term', async () => {
    const ormai = setup(notes);
    expect(ids(await ormai.callTool('search_notes', { text: 'refund' }, ACME))).toEqual([1, 3, 4]);
    expect(ids(await ormai.callTool('search_notes', { text: 'CALL' }, ACME))).toEqual([1]);
    expect(ids(await ormai.callTool('search_notes', { text: 'card' }, ACME))).toEqual([2]);
    // Nothing hidden in it: the database's own case folding decides, beyond ASCII where it folds more.
    expect(ids(await ormai.callTool('search_notes', { text: 'école' }, ACME))).toEqual([5]);
  });

  it('pages and cursors are those of the rows shown: a row hiding the term leaves no trace in them', async () => {
    // Row 2 holds 'refund' only in its hidden email; the same notes without it must give the same answers.
    const hiding = setup(['refund asked', 'mail refund@example.com', 'refund sent']);
    const plain = setup(['refund asked', 'mail support', 'refund sent']);
    for (const input of [{ text: 'refund', limit: 1 }, { text: 'refund', limit: 1, ids: [1, 2] }, { text: 'refund', limit: 2 }, { text: 'refund', ids: [2] }]) {
      const answers = [page(await hiding.callTool('search_notes', input, ACME)), page(await plain.callTool('search_notes', input, ACME))];
      expect(answers[0], JSON.stringify(input)).toEqual(answers[1]);
    }
    const first = page(await hiding.callTool('search_notes', { text: 'refund', limit: 1 }, ACME));
    expect(first.rows).toEqual([{ id: 1 }]);
    const second = page(await hiding.callTool('search_notes', { text: 'refund', limit: 1, cursor: first.nextCursor! }, ACME));
    expect(second).toEqual({ rows: [{ id: 3 }], nextCursor: null });
  });

  it('reads past hidden matches within the scan budget, and refuses past it', async () => {
    const hidden = Array.from({ length: 12 }, (_, i) => `mail refund${i}@example.com`);
    const within = setup([...hidden, 'refund sent'], { maxRows: 5, maxScanRows: 100 });
    expect(ids(await within.callTool('search_notes', { text: 'refund', limit: 1 }, ACME))).toEqual([13]);
    const past = setup([...hidden, 'refund sent'], { maxRows: 5, maxScanRows: 10 });
    const refused = await past.callTool('search_notes', { text: 'refund', limit: 1 }, ACME);
    expect(refused).toMatchObject({ ok: false, error: { code: 'scan_budget_exceeded', details: { model: 'Ticket', maxScanRows: 10 } } });
  });
});
