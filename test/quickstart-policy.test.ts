import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Op } from 'sequelize';
import type { TenantRunContext } from '@ormai/core';
import { expectCall } from '@ormai/core/testing';
import { createDemo } from '../examples/quickstart/src/create-demo.js';
import { REFUND_APPROVAL_ABOVE_CENTS } from '../examples/quickstart/src/shop/policy.js';

/**
 * The quickstart demo's policy, stated as calls that must succeed and calls that must fail (and with
 * which code): the regression suite an app keeps next to its policy. Each test gets a freshly seeded
 * in-memory shop (the demo's own setup), so writes and rate limits never leak between tests.
 */
const SUPPORT: TenantRunContext = { tenantId: 'acme', userId: 'support-agent-7' };
const FINANCE: TenantRunContext = { tenantId: 'acme', userId: 'finance-1', roles: ['finance'] };
const REASON = 'customer called about this order';

let demo: Awaited<ReturnType<typeof createDemo>>;
beforeEach(async () => {
  demo = await createDemo();
});
afterEach(async () => {
  await demo.close();
});

/** Ids of rows as they are in the database (test setup, read around OrmAI). */
async function acmeOrderIds(where: Record<string, unknown>, limit = 1): Promise<number[]> {
  const rows = await demo.models.Order.findAll({ where: { tenantId: 'acme', ...where }, order: [['id', 'ASC']], limit });
  expect(rows).toHaveLength(limit);
  return rows.map((r) => r.get('id') as number);
}
const smallOpenOrder = async () => (await acmeOrderIds({ status: 'paid', totalCents: { [Op.lte]: REFUND_APPROVAL_ABOVE_CENTS } }))[0]!;
const largeOpenOrder = async () => (await acmeOrderIds({ status: 'paid', totalCents: { [Op.gt]: REFUND_APPROVAL_ABOVE_CENTS } }))[0]!;
const globexCustomer = async () => (await demo.models.Customer.findOne({ where: { tenantId: 'globex' }, raw: true })) as unknown as { id: number };

describe('quickstart policy: reads', () => {
  it('lets support read their own tenant, with emails and phones masked', async () => {
    const { rows } = await expectCall(demo.ormai, SUPPORT, 'db_query', { model: 'Customer', select: ['id', 'name', 'email', 'phone'], limit: 5 }).toReturnRows(5);
    for (const row of rows) {
      expect(row.email).toMatch(/^[a-z]\*\*\*@acme-mail\.test$/);
      expect(row.phone).toMatch(/^\*+\d{4}$/);
    }
    await expectCall(demo.ormai, SUPPORT, 'db_get', { model: 'Order', id: await smallOpenOrder(), include: [{ relation: 'items', include: [{ relation: 'product' }] }] }).toSucceed();
  });

  it('refuses any filter naming a tenant, and hides the other tenant rows', async () => {
    await expectCall(demo.ormai, SUPPORT, 'db_aggregate', { model: 'Order', op: 'count', where: { field: 'tenantId', op: 'eq', value: 'globex' } }).toFailWith('tenant_mismatch');
    await expectCall(demo.ormai, SUPPORT, 'db_query', { model: 'Customer', where: { field: 'tenantId', op: 'eq', value: 'acme' } }).toFailWith('tenant_mismatch');
    await expectCall(demo.ormai, SUPPORT, 'db_get', { model: 'Customer', id: (await globexCustomer()).id }).toFailWith('not_found');
  });

  it('denies password hashes, shows ticket notes scrubbed, and refuses filtering on a masked or sanitized field', async () => {
    await expectCall(demo.ormai, SUPPORT, 'db_query', { model: 'Customer', select: ['name', 'passwordHash'], limit: 5 }).toFailWith('field_not_allowed');
    const { rows } = await expectCall(demo.ormai, SUPPORT, 'db_query', { model: 'SupportTicket', select: ['subject', 'notes'], limit: 5 }).toReturnRows(5);
    for (const { notes } of rows) expect(notes).not.toMatch(/\+1-555|@acme-mail|4111 1111/);
    await expectCall(demo.ormai, SUPPORT, 'db_query', { model: 'SupportTicket', where: { field: 'notes', op: 'contains', value: 'callback' } }).toFailWith('field_not_allowed');
    await expectCall(demo.ormai, SUPPORT, 'db_query', { model: 'Customer', where: { field: 'email', op: 'contains', value: 'ada' } }).toFailWith('field_not_allowed');
  });

  it('holds reads to the budgets: rows per result and rows scanned', async () => {
    await expectCall(demo.ormai, SUPPORT, 'db_query', { model: 'Order', limit: 26 }).toFailWith('max_rows_exceeded');
    await expectCall(demo.ormai, SUPPORT, 'db_aggregate', { model: 'Order', op: 'sum', field: 'totalCents', groupBy: ['status'] }).toFailWith('scan_budget_exceeded');
    await expectCall(demo.ormai, SUPPORT, 'db_aggregate', { model: 'Order', op: 'sum', field: 'totalCents', where: { field: 'status', op: 'eq', value: 'paid' } }).toSucceed();
  });
});

describe('quickstart policy: writes', () => {
  it('lets support change an order status with a reason, never without one', async () => {
    const id = await smallOpenOrder();
    await expectCall(demo.ormai, SUPPORT, 'db_update', { model: 'Order', id, values: { status: 'shipped' } }).toFailWith('reason_required');
    await expectCall(demo.ormai, SUPPORT, 'db_update', { model: 'Order', id, values: { status: 'shipped' }, reason: 'ok' }).toFailWith('reason_required');
    await expectCall(demo.ormai, SUPPORT, 'db_update', { model: 'Order', id, values: { status: 'shipped' }, reason: REASON }).toSucceed();
    expect((await demo.models.Order.findByPk(id, { raw: true }))).toMatchObject({ status: 'shipped' });
  });

  it('allows only status and refunds to be written, and only on orders', async () => {
    const id = await smallOpenOrder();
    await expectCall(demo.ormai, SUPPORT, 'db_update', { model: 'Order', id, values: { totalCents: 1 }, reason: REASON }).toFailWith('field_not_allowed');
    await expectCall(demo.ormai, SUPPORT, 'db_update', { model: 'Order', id, values: { customerId: 1 }, reason: REASON }).toFailWith('field_not_allowed');
    await expectCall(demo.ormai, SUPPORT, 'db_update', { model: 'Customer', id: 1, values: { city: 'Lisbon' }, reason: REASON }).toFailWith('write_not_allowed');
    // Orders are never deleted: the policy does not even offer the tool.
    await expectCall(demo.ormai, SUPPORT, 'db_delete', { model: 'Order', id, reason: REASON }).toFailWith('unknown_tool');
  });

  it('cannot touch the other tenant orders', async () => {
    const [globexOrder] = (await demo.models.Order.findAll({ where: { tenantId: 'globex' }, limit: 1, raw: true })) as unknown as Array<{ id: number }>;
    await expectCall(demo.ormai, SUPPORT, 'db_update', { model: 'Order', id: globexOrder!.id, values: { status: 'shipped' }, reason: REASON }).toFailWith('not_found');
  });

  it('asks for a preview before a status change over more than five orders, then runs the previewed one', async () => {
    const ids = await acmeOrderIds({ status: 'pending' }, 6);
    const change = { model: 'Order', where: { field: 'id', op: 'in', value: ids }, values: { status: 'paid' } } as const;
    await expectCall(demo.ormai, SUPPORT, 'db_bulk_update', { ...change, reason: REASON }).toFailWith('dry_run_required');
    const { previewId } = await expectCall(demo.ormai, SUPPORT, 'db_preview_write', { operation: 'bulk_update', ...change }).toSucceed();
    const done = await expectCall(demo.ormai, SUPPORT, 'db_bulk_update', { ...change, reason: REASON, previewId }).toSucceed();
    expect(done.affectedRows).toBe(6);
  });

  it('rate-limits writes to ten a minute per agent', async () => {
    const ids = await acmeOrderIds({ status: { [Op.in]: ['pending', 'paid'] } }, 11);
    for (const id of ids.slice(0, 10)) await expectCall(demo.ormai, SUPPORT, 'db_update', { model: 'Order', id, values: { status: 'shipped' }, reason: REASON }).toSucceed();
    await expectCall(demo.ormai, SUPPORT, 'db_update', { model: 'Order', id: ids[10]!, values: { status: 'shipped' }, reason: REASON }).toFailWith('rate_limited');
  });
});

describe('quickstart policy: refunds', () => {
  it('records a small refund directly', async () => {
    await expectCall(demo.ormai, SUPPORT, 'db_update', { model: 'Order', id: await smallOpenOrder(), values: { refundedCents: 1_200 }, reason: REASON }).toSucceed();
    await expectCall(demo.ormai, SUPPORT, 'db_update', { model: 'Order', id: await smallOpenOrder(), values: { status: 'refunded' }, reason: REASON }).toSucceed();
  });

  it('sends a large refund to finance, whether written as an amount or as a status', async () => {
    const id = await largeOpenOrder();
    const byAmount = await expectCall(demo.ormai, SUPPORT, 'db_update', { model: 'Order', id, values: { refundedCents: REFUND_APPROVAL_ABOVE_CENTS + 1 }, reason: REASON }).toFailWith('approval_required');
    expect(byAmount.details).toMatchObject({ rule: 'large-refund', model: 'Order', slaMs: 4 * 60 * 60 * 1_000 });
    await expectCall(demo.ormai, SUPPORT, 'db_update', { model: 'Order', id, values: { status: 'refunded' }, reason: REASON }).toFailWith('approval_required');
    await expectCall(demo.ormai, SUPPORT, 'db_bulk_update', { model: 'Order', where: { field: 'id', op: 'eq', value: id }, values: { status: 'refunded' }, reason: REASON }).toFailWith('approval_required');
    // Nothing ran: the order is as it was until finance decides.
    expect(await demo.models.Order.findByPk(id, { raw: true })).toMatchObject({ status: 'paid', refundedCents: 0 });
  });

  it('runs a large refund once finance approves it, not when support approves its own', async () => {
    const id = await largeOpenOrder();
    const pending = await expectCall(demo.ormai, SUPPORT, 'db_update', { model: 'Order', id, values: { refundedCents: 6_000 }, reason: REASON }).toFailWith('approval_required');
    const approvalId = pending.details.approvalId;
    const bySupport = await demo.ormai.approvals.approve(approvalId, { ...SUPPORT, userId: 'support-agent-8' });
    expect(bySupport).toMatchObject({ ok: false, error: { code: 'approver_not_allowed' } });
    expect(await demo.ormai.approvals.approve(approvalId, FINANCE)).toMatchObject({ ok: true });
    expect((await demo.ormai.approvals.get(approvalId))?.status).toBe('executed');
    expect(await demo.models.Order.findByPk(id, { raw: true })).toMatchObject({ refundedCents: 6_000 });
  });
});
