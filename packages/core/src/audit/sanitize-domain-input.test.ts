import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createOrmAI } from '../create-ormai.js';
import { definePolicy } from '../policy/define-policy.js';
import { DEFAULT_INTERNAL } from '../policy/profiles.js';
import { memoryAdapter, TICKET_SCHEMA } from '../test-support/memory-adapter.js';
import { defineTool } from '../tools/domain/define-tool.js';
import { MemoryAuditSink } from './memory-sink.js';

describe("a domain tool's audited input", () => {
  it("masks or redacts a key named after a field one model masks or denies, not only the policy's globs", async () => {
    const sink = new MemoryAuditSink();
    const policy = definePolicy({
      profile: DEFAULT_INTERNAL,
      tenantScope: { field: 'tenantId' },
      models: { Ticket: { fields: { remarks: 'last4', internal: 'deny' } } },
    });
    const note = defineTool({
      name: 'note_ticket',
      description: 'Look at a ticket with a remark',
      input: z.strictObject({ status: z.string(), remarks: z.string(), internal: z.string() }),
      access: 'read',
      run: () => ({ done: true }),
    });
    const ormai = createOrmAI({ adapter: memoryAdapter(TICKET_SCHEMA, { Ticket: [] }), policy, secret: 's', audit: { sink }, tools: [note] });
    const result = await ormai.callTool('note_ticket', { status: 'open', remarks: 'ZZCLEAR remark 9876', internal: 'ZZSECRET' }, { tenantId: 'acme', userId: 'u' });
    expect(result.ok).toBe(true);
    await ormai.audit.flush();
    const [record] = sink.all();
    const stored = JSON.stringify(record!.payload.input);
    expect(stored).not.toContain('ZZCLEAR');
    expect(stored).not.toContain('ZZSECRET');
    expect(record!.payload.input).toMatchObject({ status: 'open' });
  });
});
