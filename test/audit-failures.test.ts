import { describe, expect, it } from 'vitest';
import { MemoryAuditSink, type OrmAI } from '@ormai/core';
import { DIALECTS } from './support/databases.js';
import { ACME, useShop } from './support/shop-fixture.js';
import { writePolicy } from './support/shop.js';
import { expectError, expectOk } from './support/assertions.js';
import { sqlAuditSink } from './support/audit-sql.js';

const REASON = 'customer asked by email to correct the order';

for (const dialect of DIALECTS) {
  describe(`${dialect}: when the audit sink fails`, () => {
    const shop = useShop(dialect);
    const amountOf = async (id: number) => {
      const [rows] = await shop.db.sequelize.query(`SELECT amount FROM orders WHERE id = ${Number(id)}`);
      return (rows as Array<{ amount: number | null }>)[0]!.amount;
    };

    it('a write whose record cannot be written rolls back, and its refusal is recorded once the sink is back', async () => {
      const sink = new MemoryAuditSink();
      const ormai = shop.withPolicy(writePolicy(), { audit: { sink, onFailure: 'continue' } });
      const id = shop.seeded.acmeOrderIds[6]!;
      const before = await amountOf(id);
      sink.failWith = new Error('audit database unreachable');
      expectError(await ormai.call('db_update', { model: 'Order', id, values: { amount: 77 }, reason: REASON }, ACME), 'audit_unavailable');
      expect(await amountOf(id)).toBe(before);
      sink.failWith = null;
      await ormai.audit.flush();
      expect(sink.all().map((r) => [r.action, r.decision])).toEqual([['db_update', 'audit_unavailable']]);
      // And when it can be written, the write commits with exactly one record.
      expectOk(await ormai.call('db_update', { model: 'Order', id, values: { amount: 78 }, reason: REASON }, ACME));
      expect(await amountOf(id)).toBe(78);
      await ormai.audit.flush();
      expect(sink.all().map((r) => [r.action, r.decision, r.rowsAffected])).toEqual([
        ['db_update', 'audit_unavailable', null],
        ['db_update', 'allowed', 1],
      ]);
    });

    it('fail_closed (the PROD default): calls are refused while the sink is down, and nothing queued is lost', async () => {
      const sink = new MemoryAuditSink();
      // Flushes only when asked, so the test decides when the sink sees the records.
      const ormai: OrmAI = shop.withPolicy(writePolicy(), { audit: { sink, flushIntervalMs: 60_000 } });
      expect(writePolicy().audit.onFailure).toBe('fail_closed');
      for (let i = 0; i < 5; i++) expectOk(await ormai.call('db_aggregate', { model: 'Order', op: 'count' }, ACME));
      sink.failWith = new Error('down');
      await expect(ormai.audit.flush()).rejects.toThrow(/failing/);
      expect(ormai.audit.health()).toMatchObject({ healthy: false, queued: 5 });
      const refused = expectError(await ormai.call('db_query', { model: 'Order', limit: 1 }, ACME), 'audit_unavailable');
      expect(refused.retryable).toBe(true);
      const id = shop.seeded.acmeOrderIds[7]!;
      const before = await amountOf(id);
      expectError(await ormai.call('db_update', { model: 'Order', id, values: { amount: 5 }, reason: REASON }, ACME), 'audit_unavailable');
      expect(await amountOf(id)).toBe(before);
      expect(sink.all()).toHaveLength(0);

      sink.failWith = null;
      await ormai.audit.flush();
      expect(ormai.audit.health()).toMatchObject({ healthy: true, queued: 0, dropped: 0 });
      expect(sink.all().map((r) => r.decision)).toEqual(['allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'audit_unavailable', 'audit_unavailable']);
      expectOk(await ormai.call('db_query', { model: 'Order', limit: 1 }, ACME));
      expect(sink.verify()).toMatchObject({ ok: true });
    });

    it('fail_closed with the SQL sink: its table gone, calls are refused; back, every queued record lands in the chain', async () => {
      const prefix = `down_${dialect}`;
      const sink = await sqlAuditSink(shop.db.sequelize, prefix);
      // No background flush while the test renames tables: on in-memory SQLite every statement shares one connection.
      const ormai: OrmAI = shop.withPolicy(writePolicy(), { audit: { sink, flushIntervalMs: 60_000 } });
      for (let i = 0; i < 3; i++) expectOk(await ormai.call('db_aggregate', { model: 'Order', op: 'count' }, ACME));
      await shop.db.sequelize.query(`ALTER TABLE ${prefix}_records RENAME TO ${prefix}_away`);
      await expect(ormai.audit.flush()).rejects.toThrow();
      expectError(await ormai.call('db_query', { model: 'Order', limit: 1 }, ACME), 'audit_unavailable');
      const id = shop.seeded.acmeOrderIds[9]!;
      const before = await amountOf(id);
      expectError(await ormai.call('db_update', { model: 'Order', id, values: { amount: 6 }, reason: REASON }, ACME), 'audit_unavailable');
      expect(await amountOf(id)).toBe(before);
      await shop.db.sequelize.query(`ALTER TABLE ${prefix}_away RENAME TO ${prefix}_records`);
      await ormai.audit.flush();
      expectOk(await ormai.call('db_query', { model: 'Order', limit: 1 }, ACME));
      await ormai.close();
      const [rows] = await shop.db.sequelize.query(`SELECT decision FROM ${prefix}_records ORDER BY at, id`);
      expect((rows as Array<{ decision: string }>).map((r) => r.decision).sort()).toEqual(['allowed', 'allowed', 'allowed', 'allowed', 'audit_unavailable', 'audit_unavailable']);
      expect(await sink.verify()).toMatchObject({ ok: true, count: 6 });
    });

    it('fail_closed under concurrency: no more calls run than the queue has room for, and every call that ran is recorded', async () => {
      const sink = new MemoryAuditSink();
      const ormai: OrmAI = shop.withPolicy(writePolicy(), { audit: { sink, maxQueue: 3, flushIntervalMs: 60_000 } });
      sink.failWith = new Error('down, and nobody has noticed yet');
      const results = await Promise.all(Array.from({ length: 10 }, () => ormai.call('db_query', { model: 'Order', limit: 2 }, ACME)));
      const served = results.filter((r) => r.ok).length;
      expect(served).toBe(3);
      for (const r of results.filter((r) => !r.ok)) expectError(r, 'audit_unavailable');
      sink.failWith = null;
      await ormai.audit.flush();
      // Each call that returned rows has its record; the refusals past the queue's room are counted.
      expect(sink.all().filter((r) => r.decision === 'allowed')).toHaveLength(served);
      expect(ormai.audit.health()).toMatchObject({ queued: 0, dropped: 10 - sink.all().length });
    });

    it('after close(), calls are refused: their records could never be written', async () => {
      const sink = new MemoryAuditSink();
      const ormai = shop.withPolicy(writePolicy(), { audit: { sink, onFailure: 'continue' } });
      expectOk(await ormai.call('db_query', { model: 'Order', limit: 1 }, ACME));
      await ormai.close();
      expectError(await ormai.call('db_query', { model: 'Order', limit: 1 }, ACME), 'audit_unavailable');
      expect(sink.all().map((r) => r.decision)).toEqual(['allowed']);
    });

    it('continue (INTERNAL/DEV): calls go on while the sink is down; a full queue drops and counts', async () => {
      const sink = new MemoryAuditSink();
      const ormai = shop.withPolicy(writePolicy(), { audit: { sink, onFailure: 'continue', maxQueue: 3 } });
      sink.failWith = new Error('down');
      for (let i = 0; i < 5; i++) expectOk(await ormai.call('db_aggregate', { model: 'Order', op: 'count' }, ACME));
      await expect(ormai.audit.flush()).rejects.toThrow();
      expect(ormai.audit.health()).toMatchObject({ healthy: false, queued: 3, dropped: 2 });
      sink.failWith = null;
      await ormai.close();
      expect(sink.all()).toHaveLength(3);
    });
  });
}
