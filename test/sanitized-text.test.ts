import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, definePolicy, scrubText, type OrmAI } from '@ormai/core';
// The one PII and secrets corpus, core's scrub test data (not shipped in the package).
import { SENSITIVE_SAMPLES } from '../packages/core/src/scrub-text.corpus.js';
import { DIALECTS } from './support/databases.js';
import { ACME, useShop } from './support/shop-fixture.js';
import { shopPolicySpec } from './support/shop.js';
import { expectError, expectOk } from './support/assertions.js';
import { auditTablesText, sqlAuditSink } from './support/audit-sql.js';

/**
 * Free text that may hold PII, read through the `sanitize` rule: the PII and secrets corpus core's scrub
 * is tested against (emails, phones, cards, IBANs, JWTs, API and cloud keys, private keys...) is stored
 * as notes, and no way of reading them (a query, a get, an include, a domain tool's server-side search)
 * may hand back a sample's secret part.
 */
const searchNotes = defineTool({
  name: 'search_notes',
  description: 'Search internal notes for words; the text comes back with personal data removed.',
  input: z.strictObject({ text: z.string().min(2).max(100) }),
  access: 'read',
  run: async ({ text }, { db }) => (await db.search({ model: 'InternalNote', field: 'body', contains: text, limit: 50 })).rows,
});

const policy = () =>
  definePolicy({
    ...shopPolicySpec,
    models: {
      ...shopPolicySpec.models,
      Customer: { ...shopPolicySpec.models.Customer, fields: { ...shopPolicySpec.models.Customer.fields, notes: 'sanitize' } },
      InternalNote: { fields: { body: 'sanitize' } },
    },
  });

type Row = Record<string, unknown>;

for (const dialect of DIALECTS) {
  describe(`${dialect}: sanitized free text never carries the PII corpus`, () => {
    const shop = useShop(dialect);
    let ormai: OrmAI;
    let prefix: string;
    /** The sample each acme note holds, by note id. */
    const sampleOf = new Map<number, (typeof SENSITIVE_SAMPLES)[number]>();
    const customerSamples = SENSITIVE_SAMPLES.filter((_, i) => i % 30 === 0);

    beforeAll(async () => {
      const notes = await shop.models.InternalNote.bulkCreate(SENSITIVE_SAMPLES.map((s) => ({ tenantId: 'acme', body: s.text })), { returning: true });
      notes.forEach((note, i) => sampleOf.set(note.get('id') as number, SENSITIVE_SAMPLES[i]!));
      await shop.models.InternalNote.bulkCreate([{ tenantId: 'globex', body: 'GLOBEX refund for jane@globex.test' }]);
      for (const [i, id] of shop.seeded.acmeCustomerIds.entries()) await shop.models.Customer.update({ notes: customerSamples[i % customerSamples.length]!.text }, { where: { id } });
      prefix = `sanitized_${dialect}_${Date.now().toString(36)}`;
      ormai = shop.withPolicy(policy(), { tools: [searchNotes], audit: { sink: await sqlAuditSink(shop.db.sequelize, prefix) } });
    });

    /** Each row must not hold its own sample's secret. */
    const expectScrubbed = (rows: Row[]) => {
      for (const row of rows) {
        const sample = sampleOf.get(row.id as number);
        expect(sample, `row ${String(row.id)} is an acme note`).toBeDefined();
        expect(row.body, sample!.text).toBe(scrubText(sample!.text));
        expect(String(row.body), sample!.text).not.toContain(sample!.secret);
      }
    };

    it('db_query and db_get return every note scrubbed, and only the tenant notes', async () => {
      const seen: Row[] = [];
      let cursor: string | undefined;
      do {
        const page = expectOk<{ rows: Row[]; nextCursor: string | null }>(await ormai.call('db_query', { model: 'InternalNote', limit: 50, ...(cursor ? { cursor } : {}) }, ACME));
        seen.push(...page.rows);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toHaveLength(SENSITIVE_SAMPLES.length);
      expectScrubbed(seen);
      for (const id of [...sampleOf.keys()].slice(0, 10)) expectScrubbed([expectOk<{ row: Row }>(await ormai.call('db_get', { model: 'InternalNote', id }, ACME)).row]);
    });

    it('an included row is scrubbed too', async () => {
      const { rows } = expectOk<{ rows: Array<{ customer: { notes: string } }> }>(
        await ormai.call('db_query', { model: 'Order', limit: 20, include: [{ relation: 'customer', select: ['notes'] }] }, ACME),
      );
      const text = JSON.stringify(rows);
      expect(rows.some((r) => r.customer.notes.length > 0)).toBe(true);
      for (const sample of customerSamples) expect(text).not.toContain(sample.secret);
    });

    it("a domain tool searches the raw text server-side and gets back only scrubbed text", async () => {
      const found: Row[] = [];
      for (const word of ['key', 'the', 'token', 'call', 'card', 'IBAN', 'password', 'secret', 'BEGIN', '4242']) {
        found.push(...expectOk<Row[]>(await ormai.callTool('search_notes', { text: word }, ACME)));
      }
      expect(found.length).toBeGreaterThan(50);
      expectScrubbed(found);
      // The search matched the raw text: 'IBAN' finds the notes written with it, though none shows a number.
      expect(expectOk<Row[]>(await ormai.callTool('search_notes', { text: 'IBAN' }, ACME)).length).toBeGreaterThan(0);
    });

    it('a search for a value the scrub hides is refused: it would confirm it row by row', async () => {
      for (const text of ['jane.doe@acme.test', '4242 4242 4242 4242', 'DE89370400440532013000', 'AKIAIOSFODNN7EXAMPLE', '+1-555-010-4242']) {
        expectError(await ormai.callTool('search_notes', { text }, ACME), 'invalid_input');
      }
      await ormai.audit.flush();
      const audit = await auditTablesText(shop.db.sequelize, prefix);
      for (const secret of ['jane.doe@acme.test', '4242 4242 4242 4242', 'DE89370400440532013000', 'AKIAIOSFODNN7EXAMPLE', '555-010-4242']) expect(audit).not.toContain(secret);
    });

    it('the generic tools cannot filter, sort, group or aggregate on it: the answer a denied field gets', async () => {
      const uses = (field: string) => [
        ['db_query', { model: 'Customer', where: { field, op: 'contains', value: 'jane' } }],
        ['db_query', { model: 'Customer', orderBy: [{ field, direction: 'desc' }] }],
        ['db_aggregate', { model: 'Customer', op: 'count', groupBy: [field] }],
        ['db_aggregate', { model: 'Customer', op: 'max', field }],
        ['db_query', { model: 'Order', include: [{ relation: 'customer', where: { field, op: 'starts_with', value: 'a' } }] }],
      ] as const;
      for (const [i, [tool, input]] of uses('notes').entries()) {
        const sanitized = expectError(await ormai.callTool(tool, input, ACME), 'field_not_allowed');
        const denied = expectError(await ormai.callTool(tool, uses('passwordHash')[i]![1], ACME), 'field_not_allowed');
        expect(JSON.stringify(sanitized).replaceAll('notes', 'F')).toBe(JSON.stringify(denied).replaceAll('passwordHash', 'F'));
      }
    });
  });
}
