import { describe, expect, it } from 'vitest';
import { eventStreamSink, MemoryAuditSink, teeSink, type AuditRecord } from '@ormai/core';
import { DIALECTS } from './support/databases.js';
import { ACME, useShop } from './support/shop-fixture.js';
import { writePolicy } from './support/shop.js';
import { expectError, expectOk } from './support/assertions.js';
import { sqlAuditSink } from './support/audit-sql.js';

const REASON = 'customer asked by email to correct the name';

// A tee of a SQL sink (joins the write's transaction), an event stream and a memory sink (they cannot):
// the members that cannot join must never hold a record of a write that rolled back.
for (const dialect of DIALECTS) {
  describe(`${dialect}: a tee with members that cannot join the write's transaction`, () => {
    const shop = useShop(dialect);

    async function tee(name: string) {
      const prefix = `teetx_${name}_${Date.now().toString(36)}`;
      const sql = await sqlAuditSink(shop.db.sequelize, prefix);
      const sent: AuditRecord[] = [];
      const stream = eventStreamSink(async (records) => void sent.push(...records), { identifiers: 'clear' });
      const memory = new MemoryAuditSink();
      const ormai = shop.withPolicy(writePolicy(), { audit: { sink: teeSink(sql, stream, memory), onFailure: 'continue' } });
      /** What each member holds of one call: its decisions, one per record. */
      const held = async (id: string) => ({
        sql: ((await shop.db.sequelize.query(`SELECT decision FROM "${prefix}_records" WHERE id = :id`, { replacements: { id } }))[0] as Array<{ decision: string }>).map((r) => r.decision),
        stream: sent.filter((r) => r.id === id).map((r) => r.decision),
        memory: memory.all().filter((r) => r.id === id).map((r) => r.decision),
      });
      return { prefix, sent, memory, ormai, held };
    }

    const nameOf = async (id: number) => (await shop.models.Customer.findByPk(id))!.get('name');

    it('a committed write: exactly one allowed record in every member', async () => {
      const { ormai, sent, memory, held } = await tee('ok');
      const id = shop.seeded.acmeCustomerIds[3]!;
      expectOk(await ormai.call('db_update', { model: 'Customer', id, values: { name: 'Renamed' }, reason: REASON }, ACME));
      await ormai.audit.flush();
      const callId = memory.all().find((r) => r.action === 'db_update')!.id;
      expect(await held(callId)).toEqual({ sql: ['allowed'], stream: ['allowed'], memory: ['allowed'] });
      expect(new Set(sent.map((r) => r.id)).size).toBe(sent.length);
    });

    it('a write whose SQL record fails inside the transaction: data unchanged, one audit_unavailable record per member once the table is back', async () => {
      const { prefix, ormai, sent, memory, held } = await tee('fail');
      const id = shop.seeded.acmeCustomerIds[4]!;
      const before = await nameOf(id);
      await shop.db.sequelize.query(`ALTER TABLE "${prefix}_records" RENAME TO "${prefix}_away"`);
      expectError(await ormai.call('db_update', { model: 'Customer', id, values: { name: 'Phantom' }, reason: REASON }, ACME), 'audit_unavailable');
      expect(await nameOf(id)).toBe(before);
      expect(sent).toEqual([]); // nothing left the process before the outcome was known
      await ormai.audit.flush().catch(() => {}); // the SQL member is still down: the batch stays queued
      await shop.db.sequelize.query(`ALTER TABLE "${prefix}_away" RENAME TO "${prefix}_records"`);
      await ormai.audit.flush();
      const callId = memory.all().find((r) => r.action === 'db_update')!.id;
      expect(await held(callId)).toEqual({ sql: ['audit_unavailable'], stream: ['audit_unavailable'], memory: ['audit_unavailable'] });
      expect(new Set(sent.map((r) => r.id)).size).toBe(sent.length);
      expect(new Set(memory.all().map((r) => r.id)).size).toBe(memory.all().length);
    });
  });
}
