import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventStreamSink, MemoryAuditSink, teeSink, type AuditRecord, type AuditSink } from '@ormai/core';
import { jsonlAuditSink } from '@ormai/core/node';
import { DIALECTS } from './support/databases.js';
import { ACME, useShop } from './support/shop-fixture.js';
import { writePolicy } from './support/shop.js';
import { auditTablesText, sqlAuditSink } from './support/audit-sql.js';

/** Denied values, clear values of masked fields, and raw secrets: no sink may ever hold one. */
const NEVER = {
  denied: ['SECRET-HASH-audit-1', 'TOKEN-VALUE-audit-1', 'PRIVATE-NOTE-audit-1'],
  masked: ['alice.audit@acme.test', '+1-555-019-8877', 'TAX-AUDIT-9'],
  secrets: ['sk_live_51HxAuditSecretKey0123456789', 'AKIAIOSFODNN7EXAMPLE', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhdWRpdCJ9.c2lnbmF0dXJlLWF1ZGl0'],
};
const ALL_NEVER = Object.values(NEVER).flat();
/** Allowed values the agent sent: the sinks do keep these (the test can see what it looks for). */
const KEPT = ['Acme Customer 1', 'shipped'];

/** Every place the agent can put a value, with values it must not see stored. */
function hostileCalls(acmeCustomer: number, acmeOrder: number): Array<[string, unknown]> {
  const [hash, token, note] = NEVER.denied;
  const [email, phone, tax] = NEVER.masked;
  const [stripe, aws, jwt] = NEVER.secrets as [string, string, string];
  return [
    ['db_query', { model: 'Customer', where: { field: 'name', op: 'eq', value: KEPT[0] } }],
    ['db_query', { model: 'Customer', where: { and: [{ field: 'passwordHash', op: 'eq', value: hash }, { field: 'email', op: 'eq', value: email }] } }],
    ['db_query', { model: 'Customer', where: { or: [{ field: 'notes', op: 'contains', value: note }, { field: 'phone', op: 'in', value: [phone, tax] }] } }],
    ['db_query', { model: 'Customer', where: { not: { field: 'taxId', op: 'eq', value: tax } }, include: [{ relation: 'orders', where: { field: 'apiToken', op: 'eq', value: token } }] }],
    ['db_query', { model: 'Customer', where: { field: 'name', op: 'eq', value: `key ${stripe}` } }],
    ['db_query', { model: 'Customer', [aws]: jwt, apiToken: token, where: { apiToken: token } }],
    ['db_get', { model: 'Customer', id: acmeCustomer, select: ['name', 'passwordHash'], note: hash }],
    ['db_aggregate', { model: 'Customer', op: 'count', where: { field: 'email', op: 'contains', value: email } }],
    ['db_update', { model: 'Customer', id: acmeCustomer, values: { name: KEPT[0], passwordHash: hash, email, taxId: tax }, reason: `rotate ${stripe}` }],
    ['db_update', { model: 'Order', id: acmeOrder, values: { status: KEPT[1] }, reason: `token ${jwt} and ${aws}` }],
    ['db_create', { model: 'Order', values: { status: 'open', customerId: acmeCustomer, notes: note, apiToken: token }, reason: 'new order for alice.audit@acme.test' }],
    ['db_bulk_update', { model: 'Order', where: { field: 'customerId', op: 'eq', value: acmeCustomer }, values: { status: KEPT[1], email: phone }, reason: 'x', previewId: jwt }],
    ['db_query', `${hash} ${email}`],
    ['db_query', { model: email, cursor: jwt, limit: stripe }],
  ];
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: no audit sink ever holds a denied value, a clear masked value or a raw secret`, () => {
    const shop = useShop(dialect);
    const dir = mkdtempSync(join(tmpdir(), 'ormai-audit-grep-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('memory, SQL, JSON lines and an event stream (identifiers in clear), after hostile calls', async () => {
      const memory = new MemoryAuditSink();
      const sent: AuditRecord[] = [];
      const jsonl = await jsonlAuditSink({ dir });
      const sql = await sqlAuditSink(shop.db.sequelize, `grep_${dialect}`);
      const sink: AuditSink = teeSink(memory, sql, jsonl, eventStreamSink(async (records) => void sent.push(...records), { identifiers: 'clear' }));
      const ormai = shop.withPolicy(writePolicy(), { audit: { sink } });
      // The customer row itself carries these values: reads return them masked, never into the audit.
      await shop.db.sequelize.query(`UPDATE customers SET email = 'alice.audit@acme.test', phone = '+1-555-019-8877', tax_id = 'TAX-AUDIT-9' WHERE id = ${shop.seeded.acmeCustomerIds[1]}`);
      const calls = hostileCalls(shop.seeded.acmeCustomerIds[1]!, shop.seeded.acmeOrderIds[8]!);
      for (const [tool, input] of calls) await ormai.callTool(tool, input, ACME);
      await ormai.close();

      const stored = {
        memory: JSON.stringify(memory.all()),
        sql: await auditTablesText(shop.db.sequelize, `grep_${dialect}`),
        jsonl: readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n'),
        events: JSON.stringify(sent),
      };
      expect(memory.all()).toHaveLength(calls.length);
      for (const [name, text] of Object.entries(stored)) {
        for (const value of KEPT) expect(text, `${name} keeps ${value}`).toContain(value);
        for (const value of ALL_NEVER) expect(text, `${name} holds ${value}`).not.toContain(value);
        // Case and escaping do not hide one either.
        for (const value of ALL_NEVER) expect(text.toLowerCase(), `${name} holds ${value}`).not.toContain(value.toLowerCase());
      }
    });
  });
}
