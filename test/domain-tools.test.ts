import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineTool, fromStoredRecord, MemoryAuditSink, OrmAIError, teeSink, type AuditRecord, type ReadDataHandle, type StoredAuditRecord } from '@ormai/core';
import { DIALECTS } from './support/databases.js';
import { ACME, useShop } from './support/shop-fixture.js';
import { FORBIDDEN_MARKERS, writePolicy } from './support/shop.js';
import { expectError, expectNoForbiddenValues, expectOk } from './support/assertions.js';
import { auditTablesText, sqlAuditSink } from './support/audit-sql.js';

const REASON = 'customer asked for a partial refund';
const FINANCE = { tenantId: 'acme', userId: 'u-finance', roles: ['finance'] };

/** A customer's orders, with the customer included: what a support agent asks for. */
const customerOrders = defineTool({
  name: 'customer_orders',
  description: "A customer's orders, newest first.",
  input: z.strictObject({ customerId: z.number().int() }),
  access: 'read',
  run: async ({ customerId }, { db }) =>
    (await db.query({ model: 'Order', where: { field: 'customerId', op: 'eq', value: customerId }, orderBy: [{ field: 'placedAt', direction: 'desc' }], include: [{ relation: 'customer' }] })).rows,
});

/**
 * Tool code that asks for what it must not get, as a careless or compromised tool would: each attempt
 * must come back as a structured refusal (or another tenant's row as not found), never as data.
 */
const overreach = (ids: { globexCustomer: number; crossTenantOrder: number }): Record<string, (db: ReadDataHandle) => Promise<unknown>> => ({
  another_tenants_customer: (db) => db.get({ model: 'Customer', id: ids.globexCustomer }),
  another_tenants_order: (db) => db.get({ model: 'Order', id: ids.crossTenantOrder, include: [{ relation: 'customer' }] }),
  tenant_filter: (db) => db.query({ model: 'Customer', where: { or: [{ field: 'vip', op: 'eq', value: true }, { field: 'tenantId', op: 'eq', value: 'globex' }] } }),
  password_hash: (db) => db.query({ model: 'Customer', select: ['name', 'passwordHash'] }),
  api_token_in_include: (db) => db.query({ model: 'Order', include: [{ relation: 'customer', select: ['apiToken'] }] }),
  denied_notes_filter: (db) => db.query({ model: 'Customer', where: { field: 'notes', op: 'contains', value: 'PRIVATE' } }),
  tax_id_aggregate: (db) => db.aggregate({ model: 'Customer', op: 'count', groupBy: ['taxId'] }),
  search_denied_field: (db) => db.search({ model: 'Customer', field: 'passwordHash', contains: 'SECRET' }),
  model_outside_the_policy: (db) => db.query({ model: 'InternalNote' }),
});

const refundOrder = defineTool({
  name: 'refund_order',
  description: 'Set the amount of one of your orders after a refund.',
  input: z.strictObject({ orderId: z.number().int(), amount: z.number().int(), reason: z.string().optional() }),
  access: 'write',
  run: ({ orderId, amount, reason }, { db }) => db.update({ model: 'Order', id: orderId, values: { amount }, ...(reason ? { reason } : {}) }),
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: domain tools under the same policy, tenant and audit`, () => {
    const shop = useShop(dialect);
    const amountOf = async (id: number) => (await shop.models.Order.findByPk(id))!.get('amount');
    const smallOrder = () => shop.seeded.acmeOrderIds[5]!;

    it("returns only the caller's tenant rows, redacted, however the tool's code asks", async () => {
      const ids = { globexCustomer: shop.seeded.globexCustomerIds[0]!, crossTenantOrder: shop.seeded.crossTenantOrderId };
      const attempts = overreach(ids);
      const probe = defineTool({
        name: 'probe',
        description: 'Tries one thing.',
        input: z.object({ attempt: z.string() }),
        access: 'read',
        run: ({ attempt }, { db }) => attempts[attempt]!(db),
      });
      const ormai = shop.withPolicy(writePolicy(), { tools: [customerOrders, probe] });
      const codes: Record<string, string> = {};
      for (const attempt of Object.keys(attempts)) {
        const result = await ormai.callTool('probe', { attempt }, ACME);
        expectNoForbiddenValues(result);
        codes[attempt] = result.ok ? 'ok' : result.error.code;
      }
      expect(codes).toEqual({
        another_tenants_customer: 'not_found',
        another_tenants_order: 'not_found',
        tenant_filter: 'tenant_mismatch',
        password_hash: 'field_not_allowed',
        api_token_in_include: 'field_not_allowed',
        denied_notes_filter: 'field_not_allowed',
        tax_id_aggregate: 'field_not_allowed',
        search_denied_field: 'field_not_allowed',
        model_outside_the_policy: 'model_not_allowed',
      });

      // Acme's first customer: a Globex order wrongly points at them, and must not show up.
      const rows = expectOk<Array<Record<string, unknown>>>(await ormai.callTool('customer_orders', { customerId: shop.seeded.acmeCustomerIds[0] }, ACME));
      expect(rows).toHaveLength(20); // Order's maxRows, though the customer has 30
      expect(rows.map((r) => r.id)).not.toContain(shop.seeded.crossTenantOrderId);
      for (const row of rows) expect(row).toMatchObject({ customer: { email: 'a***@acme.test' } });
      expect(rows[0]!.customer).not.toHaveProperty('passwordHash');
      expectNoForbiddenValues(rows);
      expect(expectOk<unknown[]>(await ormai.callTool('customer_orders', { customerId: shop.seeded.globexCustomerIds[0] }, ACME))).toEqual([]);
    });

    it('writes need a reason, stay in the tenant, and meet approval gates; an approved one runs once', async () => {
      const ormai = shop.withPolicy(writePolicy(), { tools: [refundOrder] });
      const id = smallOrder();
      const before = await amountOf(id);
      expectError(await ormai.callTool('refund_order', { orderId: id, amount: 50 }, ACME), 'reason_required');
      expectError(await ormai.callTool('refund_order', { orderId: id, amount: 50, reason: 'fix' }, ACME), 'reason_required');
      expectError(await ormai.callTool('refund_order', { orderId: shop.seeded.globexOrderIds[0], amount: 1, reason: REASON }, ACME), 'not_found');
      expect(await amountOf(id)).toBe(before);

      expect(expectOk(await ormai.callTool('refund_order', { orderId: id, amount: 50, reason: REASON }, ACME))).toMatchObject({ row: { id, amount: 50 } });
      expect(await amountOf(id)).toBe(50);

      // Over 500: the large-refund rule queues it for finance instead of running it.
      const gated = expectError(await ormai.callTool('refund_order', { orderId: id, amount: 700, reason: REASON }, ACME), 'approval_required');
      expect(gated.details).toMatchObject({ rule: 'large-refund', model: 'Order' });
      expect(await amountOf(id)).toBe(50);
      expectOk(await ormai.approvals.approve(gated.details.approvalId, FINANCE, 'checked the invoice'));
      expect(await amountOf(id)).toBe(700);
      expect((await ormai.approvals.get(gated.details.approvalId))?.status).toBe('executed');
    });

    it('each call leaves one record with its input and outcome, each write one more, in the memory and the SQL sink alike', async () => {
      const prefix = `domain_audit_${Date.now().toString(36)}`;
      const sql = await sqlAuditSink(shop.db.sequelize, prefix);
      const memory = new MemoryAuditSink();
      const ormai = shop.withPolicy(writePolicy(), { tools: [customerOrders, refundOrder], audit: { sink: teeSink(sql, memory) } });
      const id = smallOrder();
      const customerId = shop.seeded.acmeCustomerIds[1]!;
      expectOk(await ormai.callTool('customer_orders', { customerId }, ACME, { toolCallId: 'tc-read' }));
      expectError(await ormai.callTool('customer_orders', { customerId: 'jane@globex.test' }, ACME, { toolCallId: 'tc-bad' }), 'invalid_input');
      expectOk(await ormai.callTool('refund_order', { orderId: id, amount: 40, reason: REASON }, ACME, { toolCallId: 'tc-write' }));
      expectError(await ormai.callTool('refund_order', { orderId: id, amount: 40 }, ACME, { toolCallId: 'tc-noreason' }), 'reason_required');
      await ormai.audit.flush();

      const view = (r: AuditRecord) => ({ action: r.action, decision: r.decision, toolCallId: r.toolCallId, model: r.model, rowsReturned: r.rowsReturned, rowsAffected: r.rowsAffected, input: r.payload.input, reason: r.payload.reason });
      const ordered = <T extends { toolCallId: string | null; action: string }>(views: T[]) => views.sort((a, b) => `${a.toolCallId} ${a.action}`.localeCompare(`${b.toolCallId} ${b.action}`));
      const byCall = (records: AuditRecord[]) => ordered(records.map(view));
      const expected = ordered([
        { action: 'customer_orders', decision: 'invalid_input', toolCallId: 'tc-bad', model: null, rowsReturned: null, rowsAffected: null, input: { customerId: '[email]' }, reason: null },
        { action: 'customer_orders', decision: 'allowed', toolCallId: 'tc-read', model: 'Order', rowsReturned: 3, rowsAffected: null, input: { customerId }, reason: null },
        { action: 'db_update', decision: 'reason_required', toolCallId: 'tc-noreason', model: 'Order', rowsReturned: null, rowsAffected: null, input: { model: 'Order', id, values: { amount: 40 } }, reason: null },
        { action: 'refund_order', decision: 'reason_required', toolCallId: 'tc-noreason', model: 'Order', rowsReturned: null, rowsAffected: null, input: { orderId: id, amount: 40 }, reason: null },
        { action: 'db_update', decision: 'allowed', toolCallId: 'tc-write', model: 'Order', rowsReturned: null, rowsAffected: 1, input: { model: 'Order', id, values: { amount: 40 } }, reason: REASON },
        { action: 'refund_order', decision: 'allowed', toolCallId: 'tc-write', model: 'Order', rowsReturned: null, rowsAffected: 1, input: { orderId: id, amount: 40 }, reason: REASON },
      ]);
      expect(byCall(memory.all())).toEqual(expected);
      // The SQL sink holds the same records; the allowed write's went in with the write's own transaction.
      const [rows] = await shop.db.sequelize.query(`SELECT id, envelope, payload FROM "${prefix}_records"`);
      expect(byCall((rows as StoredAuditRecord[]).map(fromStoredRecord))).toEqual(expected);
      const text = await auditTablesText(shop.db.sequelize, prefix);
      for (const marker of [...FORBIDDEN_MARKERS, 'jane@globex']) expect(text).not.toContain(marker);
      expect((await sql.verify!()).ok).toBe(true);
    });

    it("a write through the handle commits with its record: when the record cannot be written, the write rolls back", async () => {
      const prefix = `domain_audit_tx_${Date.now().toString(36)}`;
      const sql = await sqlAuditSink(shop.db.sequelize, prefix);
      const ormai = shop.withPolicy(writePolicy(), { tools: [refundOrder], audit: { sink: sql, onFailure: 'continue' } });
      const id = smallOrder();
      const before = await amountOf(id);
      await shop.db.sequelize.query(`ALTER TABLE "${prefix}_records" RENAME TO "${prefix}_away"`);
      expectError(await ormai.callTool('refund_order', { orderId: id, amount: before === 33 ? 34 : 33, reason: REASON }, ACME), 'audit_unavailable');
      expect(await amountOf(id)).toBe(before);
      await shop.db.sequelize.query(`ALTER TABLE "${prefix}_away" RENAME TO "${prefix}_records"`);
      await ormai.audit.flush();
      const [rows] = await shop.db.sequelize.query(`SELECT action, decision FROM "${prefix}_records" ORDER BY action`);
      expect(rows).toEqual([{ action: 'db_update', decision: 'audit_unavailable' }, { action: 'refund_order', decision: 'audit_unavailable' }]);
    });

    it('an error the tool throws is internal_error for the agent and reaches onError', async () => {
      const onError = vi.fn();
      const leaky = defineTool({
        name: 'leaky',
        description: 'Throws.',
        input: z.object({}),
        access: 'read',
        run: async (_input, { db }) => {
          const { rows } = await db.query({ model: 'Customer', select: ['name'], limit: 1 });
          throw new Error(`lookup failed for ${String(rows[0]?.name)} at postgres://app:s3cret@db/shop`);
        },
      });
      const ormai = shop.withPolicy(writePolicy(), { tools: [leaky], onError });
      const result = await ormai.callTool('leaky', {}, ACME);
      expectError(result, 'internal_error');
      expect(JSON.stringify(result)).not.toMatch(/s3cret|Acme Customer/);
      expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('s3cret') }), { tool: 'leaky' });
      expect(OrmAIError.isInstance(onError.mock.calls[0]![0])).toBe(false);
    });
  });
}
