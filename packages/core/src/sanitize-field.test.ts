import { describe, expect, it } from 'vitest';
import { MemoryAuditSink } from './audit/memory-sink.js';
import { createOrmAI } from './create-ormai.js';
import { randomKey } from './crypto.js';
import { PolicyDefinitionError } from './errors.js';
import { definePolicy, type PolicySpec } from './policy/define-policy.js';
import { DEFAULT_INTERNAL } from './policy/profiles.js';
import { maskValue, projectRow } from './redact.js';
import { SENSITIVE_SAMPLES } from './scrub-text.corpus.js';
import type { FieldSanitizers } from './spec/domain-tools.js';
import type { ToolResult } from './spec/tools.js';
import { memoryAdapter, TICKET_SCHEMA } from './test-support/memory-adapter.js';

const ACME = { tenantId: 'acme', userId: 'u1' };
const NOTES = 'Customer jane.doe@acme.test called from +1 555 010 4242, ticket #1042, ref TKT-77';

function setup(spec: Partial<PolicySpec> = {}, sanitizers?: FieldSanitizers) {
  const rows = { Ticket: [{ id: 1, tenantId: 'acme', status: 'open', notes: NOTES, remarks: 'fine', internal: 'x', meta: { notes: 'mail jane.doe@acme.test', n: 1 } }] };
  const sink = new MemoryAuditSink();
  const policy = definePolicy({
    profile: DEFAULT_INTERNAL,
    tenantScope: { field: 'tenantId' },
    readOnly: false,
    models: { Ticket: { fields: { notes: 'sanitize', internal: 'deny' }, write: { update: true, writableFields: ['notes', 'status'], maskedWritableFields: ['notes'] } } },
    ...spec,
  });
  return { sink, ormai: createOrmAI({ adapter: memoryAdapter(TICKET_SCHEMA, rows), policy, secret: 's', audit: { sink }, ...(sanitizers ? { sanitizers } : {}) }) };
}
const errorOf = (result: ToolResult) => (result.ok ? null : result.error);

describe("the 'sanitize' field rule", () => {
  it('scrubs every sample of the PII and secrets corpus, as a mask strategy', () => {
    const key = randomKey();
    for (const { text, secret } of SENSITIVE_SAMPLES) expect(maskValue('sanitize', text, key), text).not.toContain(secret);
    expect(maskValue('sanitize', 'Delivered on 2026-11-28, order #1042', key)).toBe('Delivered on 2026-11-28, order #1042');
    expect(maskValue('sanitize', null, key)).toBeNull();
  });

  it('runs a field sanitizer first, then the scrub, which a sanitizer cannot undo', () => {
    const sanitizer = (text: string) => `${text.replace(/TKT-\d+/g, '[ticket]')} (reach her at jane@acme.test)`;
    const row = projectRow({ notes: NOTES }, { fields: [{ name: 'notes', rule: 'sanitize', sanitizer }], includes: [] }, randomKey());
    expect(row.notes).toBe('Customer [email] called from [phone], ticket #1042, ref [ticket] (reach her at [email])');
  });

  it('reads sanitized through the generic tools; describe marks the field, and it is not filterable', async () => {
    const { ormai } = setup();
    const query = await ormai.callTool('db_query', { model: 'Ticket', select: ['id', 'notes'] }, ACME);
    expect(query).toEqual({ ok: true, data: { rows: [{ id: 1, notes: 'Customer [email] called from [phone], ticket #1042, ref TKT-77' }], nextCursor: null } });
    const described = await ormai.callTool('db_describe_schema', { model: 'Ticket' }, ACME);
    const notes = described.ok && (described.data as { models: Array<{ fields: Array<{ name: string }> }> }).models[0]!.fields.find((f) => f.name === 'notes');
    expect(notes).toEqual({ name: 'notes', type: 'string', masked: 'sanitize', filterable: false });
  });

  it('filters, sorts, groups and aggregates on a sanitized field get the answer a denied field gets', async () => {
    const { ormai } = setup();
    const uses = (field: string) => [
      ['db_query', { model: 'Ticket', where: { field, op: 'contains', value: 'jane' } }],
      ['db_query', { model: 'Ticket', orderBy: [{ field }] }],
      ['db_aggregate', { model: 'Ticket', op: 'count', groupBy: [field] }],
      ['db_aggregate', { model: 'Ticket', op: 'min', field }],
      ['db_query', { model: 'Ticket', include: [], where: { not: { field, op: 'is_null' } } }],
    ] as const;
    for (const [i, [tool, input]] of uses('notes').entries()) {
      const sanitized = errorOf(await ormai.callTool(tool, input, ACME));
      const denied = errorOf(await ormai.callTool(tool, uses('internal')[i]![1], ACME));
      expect(sanitized?.code, JSON.stringify(input)).toBe('field_not_allowed');
      expect(JSON.stringify(sanitized).replaceAll('notes', 'FIELD')).toBe(JSON.stringify(denied).replaceAll('internal', 'FIELD'));
    }
  });

  it("maskFields can sanitize by glob, JSON keys included, and createOrmAI's sanitizers apply per field", async () => {
    const { ormai } = setup({ maskFields: { '<* notes>': 'sanitize', '<* remarks>': 'sanitize' }, models: { Ticket: {} } }, { Ticket: { remarks: (text) => text.toUpperCase() } });
    const result = await ormai.callTool('db_query', { model: 'Ticket', select: ['notes', 'remarks', 'meta'] }, ACME);
    expect(result.ok && (result.data as { rows: unknown[] }).rows).toEqual([{ notes: 'Customer [email] called from [phone], ticket #1042, ref TKT-77', remarks: 'FINE', meta: { notes: 'mail [email]', n: 1 } }]);
  });

  it('a sanitizer for a field that is not sanitized, or unknown, is refused at createOrmAI', () => {
    expect(() => setup({}, { Ticket: { status: (t) => t } })).toThrow(PolicyDefinitionError);
    expect(() => setup({}, { Ticket: { nope: (t) => t } })).toThrow(/Ticket\.nope/);
    expect(() => setup({}, { Nope: { notes: (t) => t } })).toThrow(/Nope\.notes/);
  });

  it('writes to a sanitized field need maskedWritableFields, and are audited scrubbed', async () => {
    expect(() => setup({ models: { Ticket: { fields: { notes: 'sanitize' }, write: { update: true, writableFields: ['notes'] } } } })).toThrow(/maskedWritableFields/);
    const { ormai, sink } = setup();
    const result = await ormai.callTool('db_update', { model: 'Ticket', id: 1, values: { notes: 'Now call 020 7946 0958' }, reason: 'customer gave a new number' }, ACME);
    expect(result).toMatchObject({ ok: true, data: { row: { notes: 'Now call [phone]' } } });
    await ormai.audit.flush();
    expect(JSON.stringify(sink.all())).not.toContain('7946');
  });
});
