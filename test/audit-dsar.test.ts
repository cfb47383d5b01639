import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { definePolicy, MemoryAuditSink, teeSink, type ToolResult } from '@ormai/core';
import { jsonlAuditSink } from '@ormai/core/node';
import { DIALECTS } from './support/databases.js';
import { ACME, useShop } from './support/shop-fixture.js';
import { writePolicySpec } from './support/shop.js';
import { auditTablesText, sqlAuditSink } from './support/audit-sql.js';

const policy = () => definePolicy({ ...writePolicySpec, audit: { subjects: { Customer: { references: { Order: 'customerId' } } } } });

for (const dialect of DIALECTS) {
  describe(`${dialect}: subject access requests and erasure`, () => {
    const shop = useShop(dialect);
    const dir = mkdtempSync(join(tmpdir(), 'ormai-audit-dsar-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('the report holds exactly the operations that returned or changed the subject; erasure removes its personal data everywhere, and every chain still verifies', async () => {
      const prefix = `dsar_${dialect}`;
      const sql = await sqlAuditSink(shop.db.sequelize, prefix);
      const memory = new MemoryAuditSink();
      const jsonl = await jsonlAuditSink({ dir });
      const ormai = shop.withPolicy(policy(), { audit: { sink: teeSink(sql, jsonl, memory) } });
      const [, other, subject] = shop.seeded.acmeCustomerIds as [number, number, number];
      const [[{ name }]] = (await shop.db.sequelize.query(`SELECT name FROM customers WHERE id = ${subject}`)) as [[{ name: string }], unknown];
      const [subjectOrders] = (await shop.db.sequelize.query(`SELECT id FROM orders WHERE customer_id = ${subject} ORDER BY id`)) as [Array<{ id: number }>, unknown];
      const [otherOrders] = (await shop.db.sequelize.query(`SELECT id FROM orders WHERE customer_id = ${other} ORDER BY id`)) as [Array<{ id: number }>, unknown];

      const touching: string[] = [];
      const call = async (tool: string, input: unknown, touches: boolean) => {
        const result: ToolResult = await ormai.callTool(tool, input, ACME);
        expect(result.ok, JSON.stringify(result)).toBe(true);
        if (touches) touching.push(tool);
      };
      await call('db_get', { model: 'Customer', id: subject }, true);
      await call('db_get', { model: 'Customer', id: other }, false);
      await call('db_query', { model: 'Customer', where: { field: 'name', op: 'eq', value: name } }, true);
      await call('db_query', { model: 'Order', where: { field: 'customerId', op: 'eq', value: other } }, false);
      await call('db_get', { model: 'Order', id: subjectOrders[0]!.id }, true);
      await call('db_get', { model: 'Order', id: otherOrders[0]!.id, include: [{ relation: 'customer' }] }, false);
      await call('db_query', { model: 'Customer', where: { field: 'id', op: 'eq', value: other }, include: [{ relation: 'orders', limit: 1 }] }, false);
      await call('db_update', { model: 'Order', id: subjectOrders[1]!.id, values: { status: 'shipped' }, reason: `${name} asked to ship it` }, true);
      await call('db_aggregate', { model: 'Order', op: 'count' }, false);
      // Operations that return no rows of the subject but are about it: an aggregate singling it out, a
      // preview, an approval-gated write with its request, decision and status.
      await call('db_aggregate', { model: 'Order', op: 'sum', field: 'amount', where: { field: 'customerId', op: 'eq', value: subject } }, true);
      await call('db_preview_write', { operation: 'update', model: 'Order', id: subjectOrders[2]!.id, values: { status: 'open' } }, true);
      const gated = await ormai.callTool('db_update', { model: 'Order', id: subjectOrders[2]!.id, values: { amount: 900 }, reason: `refund ${name} in full` }, ACME);
      expect(!gated.ok && gated.error.code).toBe('approval_required');
      touching.push('db_update');
      const approvalId = (gated as { error: { details: { approvalId: string } } }).error.details.approvalId;
      await call('db_approval_status', { approvalId }, true);
      expect((await ormai.approvals.approve(approvalId, { tenantId: 'acme', userId: 'u-finance', roles: ['finance'] }, `ok for ${name}`)).ok).toBe(true);
      touching.push('approvals.approve', 'approvals.execute');
      await ormai.audit.flush();

      // Under a tenant-scoped policy the query names the subject's tenant; another tenant's view is empty.
      await expect(ormai.audit.subjectAccessReport({ model: 'Customer', id: String(subject) })).rejects.toThrow(/tenantId/);
      expect(await ormai.audit.subjectAccessReport({ model: 'Customer', id: String(subject), tenantId: 'globex' })).toEqual([]);
      const report = await ormai.audit.subjectAccessReport({ model: 'Customer', id: String(subject), tenantId: 'acme' });
      expect(report.map((r) => r.action).sort()).toEqual([...touching].sort());
      expect(report.every((r) => r.payload.subjects.some((s) => s.model === 'Customer' && s.id === String(subject)))).toBe(true);
      expect(await memory.subjectAccess({ model: 'Customer', id: String(subject) })).toHaveLength(touching.length);
      expect(await jsonl.subjectAccess({ model: 'Customer', id: String(subject) })).toHaveLength(touching.length);
      const before = await auditTablesText(shop.db.sequelize, prefix);
      expect(before).toContain(name);

      expect(await ormai.audit.eraseSubject({ model: 'Customer', id: String(subject), tenantId: 'acme' })).toBe(touching.length);
      const stored = {
        sql: await auditTablesText(shop.db.sequelize, prefix),
        jsonl: readdirSync(dir).filter((f) => f.endsWith('.jsonl')).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n'),
        memory: JSON.stringify(memory.all()),
      };
      for (const [sink, text] of Object.entries(stored)) expect(text, sink).not.toContain(name);
      expect(await ormai.audit.subjectAccessReport({ model: 'Customer', id: String(subject), tenantId: 'acme' })).toEqual([]);
      expect(await sql.verify()).toMatchObject({ ok: true, count: 15 });
      expect(await jsonl.verify()).toMatchObject({ ok: true, count: 15 });
      expect(memory.verify()).toMatchObject({ ok: true, count: 15 });
      await ormai.close();
    });
  });
}
