import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemoryAuditSink } from '../../audit/memory-sink.js';
import { createOrmAI } from '../../create-ormai.js';
import { definePolicy } from '../../policy/define-policy.js';
import { DEFAULT_INTERNAL } from '../../policy/profiles.js';
import { memoryAdapter, TICKET_SCHEMA } from '../../test-support/memory-adapter.js';
import { defineTool } from './define-tool.js';

/**
 * A write tool whose code loops over ids the model chose, as a careless author writes it: each write
 * it makes must count against `writesPerDay`, or one call could make any number of them.
 */
const ACME = { tenantId: 'acme', userId: 'u-acme' };
const REASON = 'customer confirmed the fix';

const closeTickets = defineTool({
  name: 'close_tickets',
  description: 'd',
  input: z.object({ ids: z.array(z.number()) }),
  access: 'write',
  async run({ ids }, { db }) {
    for (const id of ids) await db.update({ model: 'Ticket', id, values: { status: 'closed' }, reason: REASON });
    return ids.length;
  },
});

function setup(writesPerDay: number) {
  const rows = [1, 2, 3, 4].map((id) => ({ id, tenantId: 'acme', status: 'open', notes: 'n' }));
  const adapter = memoryAdapter(TICKET_SCHEMA, { Ticket: rows });
  const policy = definePolicy({
    profile: DEFAULT_INTERNAL,
    tenantScope: { field: 'tenantId' },
    quotas: { writesPerDay },
    models: { Ticket: { write: { update: true, writableFields: ['status'] } } },
  });
  const sink = new MemoryAuditSink();
  return { adapter, sink, ormai: createOrmAI({ adapter, policy, secret: 's', tools: [closeTickets], audit: { sink } }) };
}

const statuses = (adapter: ReturnType<typeof setup>['adapter']) => adapter.rows.Ticket!.map((r) => r.status);

describe("writesPerDay counts a domain tool's writes, one by one", () => {
  it('one call cannot write past the quota', async () => {
    const { ormai, adapter, sink } = setup(2);
    const result = await ormai.callTool('close_tickets', { ids: [1, 2, 3, 4] }, ACME);
    expect(result).toMatchObject({ ok: false, error: { code: 'quota_exceeded', details: { quota: 'writesPerDay', limit: 2 } } });
    expect(statuses(adapter)).toEqual(['closed', 'closed', 'open', 'open']);
    await ormai.audit.flush();
    expect(sink.all().map((r) => [r.action, r.decision])).toEqual([
      ['db_update', 'allowed'],
      ['db_update', 'allowed'],
      ['db_update', 'quota_exceeded'],
      ['close_tickets', 'quota_exceeded'],
    ]);
  });

  it('a call that writes once costs one write, as db_update would', async () => {
    const { ormai, adapter } = setup(2);
    expect(await ormai.callTool('close_tickets', { ids: [1] }, ACME)).toEqual({ ok: true, data: 1 });
    expect(await ormai.callTool('close_tickets', { ids: [2] }, ACME)).toEqual({ ok: true, data: 1 });
    expect(await ormai.callTool('close_tickets', { ids: [3] }, ACME)).toMatchObject({ ok: false, error: { code: 'quota_exceeded' } });
    expect(statuses(adapter)).toEqual(['closed', 'closed', 'open', 'open']);
  });
});
