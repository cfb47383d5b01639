import { beforeAll, describe, expect, it } from 'vitest';
import type { OrmAI, WriteEvent } from '@ormai/core';
import { sequelizeApprovalStore } from '@ormai/sequelize';
import { DIALECTS } from './support/databases.js';
import { ACME, GLOBEX, useShop } from './support/shop-fixture.js';
import { writePolicy } from './support/shop.js';
import { expectError, expectNoForbiddenValues, expectOk } from './support/assertions.js';

const REASON = 'customer asked by email to correct the order';
const FINANCE = { tenantId: 'acme', userId: 'u-finance', roles: ['finance'] };
const SUPERVISOR = { tenantId: 'acme', userId: 'u-super', roles: ['supervisor'] };

for (const dialect of DIALECTS) {
  describe(`${dialect}: writes, previews and approvals`, () => {
    const shop = useShop(dialect);
    let ormai: OrmAI;
    let now = Date.UTC(2026, 10, 25, 12, 0, 0);
    const clock = () => now;
    const events: WriteEvent[] = [];
    const newOrmAI = () =>
      shop.withPolicy(writePolicy(), { approvals: sequelizeApprovalStore(shop.db.sequelize), clock, onWrite: (e) => void events.push(e) });

    beforeAll(async () => {
      ormai = newOrmAI();
      // The large-refund rule gates any update of an order over 500 (its `when` reads the new row). Start
      // from small amounts so only the tests that want that rule meet it.
      await shop.db.sequelize.query(`UPDATE orders SET amount = 100 WHERE amount > 500`);
    });

    const orderRow = async (id: number) => {
      const [rows] = await shop.db.sequelize.query(`SELECT status, amount, tenant_id, deleted_at FROM orders WHERE id = ${Number(id)}`);
      return (rows as Array<Record<string, unknown>>)[0];
    };
    const acmeOrder = (i: number) => shop.seeded.acmeOrderIds[i]!;

    it('exposes only the write tools the policy enables', async () => {
      expect(shop.ormai.tools().map((t) => t.name)).not.toContain('db_update'); // the read-only policy
      const names = ormai.tools().map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['db_create', 'db_update', 'db_delete', 'db_bulk_update', 'db_preview_write', 'db_approval_status']));
      expect(ormai.tools().find((t) => t.name === 'db_create')!.description).not.toContain('Customer');
      expectError(await ormai.call('db_create', { model: 'Customer', values: { name: 'x' }, reason: REASON }, ACME), 'write_not_allowed');
    });

    it('refuses every write tool without a real reason, and changes nothing', async () => {
      const before = await orderRow(acmeOrder(1));
      const calls: Array<[string, object]> = [
        ['db_create', { model: 'Order', values: { status: 'open', customerId: shop.seeded.acmeCustomerIds[0] } }],
        ['db_update', { model: 'Order', id: acmeOrder(1), values: { status: 'shipped' } }],
        ['db_delete', { model: 'Order', id: acmeOrder(1) }],
        ['db_bulk_update', { model: 'Order', where: { field: 'status', op: 'eq', value: 'open' }, values: { status: 'shipped' } }],
      ];
      for (const [tool, input] of calls) {
        expectError(await ormai.callTool(tool, input, ACME), 'reason_required');
        expectError(await ormai.callTool(tool, { ...input, reason: 'fix' }, ACME), 'reason_required');
      }
      expect(await orderRow(acmeOrder(1))).toEqual(before);
    });

    it('refuses non-writable fields, the tenant field and other tenants rows, changing nothing', async () => {
      const id = acmeOrder(2);
      const before = await orderRow(id);
      for (const values of [{ placedAt: '2026-01-01T00:00:00Z' }, { tenantId: 'globex' }, { id: 99 }, { deletedAt: null }]) {
        expectError(await ormai.callTool('db_update', { model: 'Order', id, values, reason: REASON }, ACME), 'field_not_allowed');
      }
      expectError(await ormai.call('db_create', { model: 'Order', values: { status: 'open', tenantId: 'globex' }, reason: REASON }, ACME), 'field_not_allowed');
      expect(await orderRow(id)).toEqual(before);
      // Globex trying to change Acme's order: indistinguishable from a missing row.
      expectError(await ormai.call('db_update', { model: 'Order', id, values: { status: 'shipped' }, reason: REASON }, GLOBEX), 'not_found');
      expectError(await ormai.call('db_delete', { model: 'Order', id, reason: REASON }, GLOBEX), 'not_found');
      const bulk = expectOk(await ormai.call('db_bulk_update', { model: 'Order', where: { field: 'id', op: 'eq', value: id }, values: { status: 'shipped' }, reason: REASON }, GLOBEX));
      expect(bulk.affectedRows).toBe(0);
      expect(await orderRow(id)).toEqual(before);
    });

    it('creates rows in the caller tenant and rejects invalid values without leaking', async () => {
      const created = expectOk(await ormai.callTool('db_create', { model: 'Order', values: { status: 'open', amount: 42, customerId: shop.seeded.acmeCustomerIds[1] }, reason: REASON }, ACME));
      expect(created.row).toMatchObject({ status: 'open', amount: 42 });
      expect(created.row).not.toHaveProperty('tenantId');
      expect((await orderRow(created.row.id))!.tenant_id).toBe('acme');
      const invalid = expectError(await ormai.call('db_create', { model: 'Order', values: { amount: 1, customerId: 1 }, reason: REASON }, ACME), 'invalid_input');
      expect(invalid.details.fields).toEqual(['status']);
    });

    it('updates and soft-deletes by id; soft-deleted rows disappear from reads', async () => {
      const id = acmeOrder(3);
      const updated = expectOk(await ormai.call('db_update', { model: 'Order', id, values: { amount: 250 }, reason: REASON }, ACME));
      expect(updated.row).toMatchObject({ id, amount: 250 });
      expect(expectOk(await ormai.call('db_delete', { model: 'Order', id, reason: REASON }, ACME))).toMatchObject({ deleted: 1, soft: true });
      expect((await orderRow(id))!.deleted_at).not.toBeNull();
      expectError(await ormai.call('db_get', { model: 'Order', id }, ACME), 'not_found');
      const listed = expectOk(await ormai.call('db_query', { model: 'Order', select: ['id'], where: { field: 'id', op: 'eq', value: id } }, ACME));
      expect(listed.rows).toEqual([]);
      expectError(await ormai.call('db_update', { model: 'Order', id, values: { amount: 1 }, reason: REASON }, ACME), 'not_found');
    });

    it('a bulk update over 10 rows needs a preview, and then touches exactly the previewed rows', async () => {
      const [busyCustomer] = shop.seeded.acmeCustomerIds;
      const where = { and: [{ field: 'customerId', op: 'eq', value: busyCustomer }, { field: 'status', op: 'in', value: ['open', 'shipped'] }] };
      const args = { model: 'Order', where, values: { status: 'delivered' } };
      const refused = expectError(await ormai.callTool('db_bulk_update', { ...args, reason: REASON }, ACME), 'dry_run_required');
      expect(refused.details).toMatchObject({ dryRunAbove: 10, stale: false });

      const preview = expectOk(await ormai.callTool('db_preview_write', { operation: 'bulk_update', ...args }, ACME));
      expect(preview.affectedRows).toBeGreaterThan(10);
      expect(preview.sample).toHaveLength(5);
      expect(preview.sample[0]).toMatchObject({ before: { status: expect.stringMatching(/^(open|shipped)$/) }, after: { status: 'delivered' } });
      const matching = `FROM orders WHERE customer_id = ${busyCustomer} AND status IN ('open', 'shipped') AND deleted_at IS NULL AND tenant_id = 'acme'`;
      const [stillShipped] = await shop.db.sequelize.query(`SELECT count(*) AS n ${matching}`);
      expect(Number((stillShipped as any[])[0].n)).toBe(preview.affectedRows); // the preview wrote nothing

      // A preview of other arguments does not count.
      const other = expectOk(await ormai.callTool('db_preview_write', { operation: 'bulk_update', ...args, values: { status: 'open' } }, ACME));
      expectError(await ormai.callTool('db_bulk_update', { ...args, reason: REASON, previewId: other.previewId }, ACME), 'dry_run_required');
      // Nor does another principal's.
      expectError(await ormai.callTool('db_bulk_update', { ...args, reason: REASON, previewId: preview.previewId }, { ...ACME, userId: 'someone-else' }), 'dry_run_required');

      const [ids] = await shop.db.sequelize.query(`SELECT id ${matching} ORDER BY id`);
      const done = expectOk(await ormai.callTool('db_bulk_update', { ...args, reason: REASON, previewId: preview.previewId }, ACME));
      expect(done.affectedRows).toBe(preview.affectedRows);
      expect([...done.ids].sort((a: number, b: number) => a - b)).toEqual((ids as any[]).map((r) => r.id));
      const [left] = await shop.db.sequelize.query(`SELECT count(*) AS n ${matching}`);
      expect(Number((left as any[])[0].n)).toBe(0);
      expect((await orderRow(shop.seeded.crossTenantOrderId))!.status).toBe('open'); // Globex's row on the same customer
    });

    it('a preview goes stale when the matching rows change or the window passes', async () => {
      const [busyCustomer] = shop.seeded.acmeCustomerIds;
      const args = { model: 'Order', where: { field: 'customerId', op: 'eq', value: busyCustomer }, values: { amount: 7 } };
      const preview = expectOk(await ormai.callTool('db_preview_write', { operation: 'bulk_update', ...args }, ACME));
      expectOk(await ormai.callTool('db_create', { model: 'Order', values: { status: 'open', customerId: busyCustomer }, reason: REASON }, ACME));
      const stale = expectError(await ormai.callTool('db_bulk_update', { ...args, reason: REASON, previewId: preview.previewId }, ACME), 'dry_run_required');
      expect(stale.details.stale).toBe(true);
      const fresh = expectOk(await ormai.callTool('db_preview_write', { operation: 'bulk_update', ...args }, ACME));
      now += 11 * 60_000;
      expectError(await ormai.callTool('db_bulk_update', { ...args, reason: REASON, previewId: fresh.previewId }, ACME), 'dry_run_required');
      // A preview is for the rows as they were: once its write ran, it cannot be replayed.
      const once = expectOk(await ormai.callTool('db_preview_write', { operation: 'bulk_update', ...args, values: { amount: 8 } }, ACME));
      expectOk(await ormai.callTool('db_bulk_update', { ...args, values: { amount: 8 }, reason: REASON, previewId: once.previewId }, ACME));
      const replay = expectError(await ormai.callTool('db_bulk_update', { ...args, values: { amount: 8 }, reason: REASON, previewId: once.previewId }, ACME), 'dry_run_required');
      expect(replay.details.stale).toBe(true);
    });

    it('maxAffectedRows bounds bulk writes, previews included', async () => {
      const everything = { model: 'Order', where: { field: 'id', op: 'gt', value: 0 }, values: { amount: 1 } };
      const tight = shop.withPolicy(
        { ...writePolicy(), models: { ...writePolicy().models, Order: { ...writePolicy().models.Order, write: { ...writePolicy().models.Order!.write!, maxAffectedRows: 15 } } } },
        { clock },
      );
      expectError(await tight.callTool('db_preview_write', { operation: 'bulk_update', ...everything }, ACME), 'affected_rows_exceeded');
      expectError(await tight.callTool('db_bulk_update', { ...everything, reason: REASON }, ACME), 'affected_rows_exceeded');
    });

    it('an approval-gated write waits, runs once after approval with the approver recorded', async () => {
      const id = acmeOrder(5);
      const before = await orderRow(id);
      const gated = expectError(await ormai.call('db_update', { model: 'Order', id, values: { amount: 900 }, reason: 'refund the damaged espresso machine' }, ACME), 'approval_required');
      expect(gated.details).toMatchObject({ rule: 'large-refund', slaMs: 3_600_000 });
      const approvalId = gated.details.approvalId as string;
      expect(await orderRow(id)).toEqual(before);
      expect(expectOk(await ormai.call('db_approval_status', { approvalId }, ACME))).toMatchObject({ status: 'pending', rules: [{ rule: 'large-refund', approved: false }] });
      expectError(await ormai.call('db_approval_status', { approvalId }, GLOBEX), 'not_found');
      expectError(await ormai.call('db_approval_status', { approvalId }, { ...ACME, userId: 'u-other' }), 'not_found');
      expect((await ormai.approvals.list({ status: 'pending' })).map((a) => a.id)).toContain(approvalId);

      expectError(await ormai.approvals.approve(approvalId, { ...ACME, roles: ['finance'] }), 'approver_not_allowed'); // the requester
      expectError(await ormai.approvals.approve(approvalId, SUPERVISOR), 'approver_not_allowed'); // wrong role
      expectError(await ormai.approvals.approve(approvalId, { ...FINANCE, tenantId: 'globex' }), 'not_found'); // another tenant's finance: like an unknown id
      expectError(await ormai.approvals.approve(approvalId, { roles: ['finance'] } as never), 'approver_not_allowed'); // nobody
      const eventsBefore = events.length;
      const approved = expectOk(await ormai.approvals.approve(approvalId, FINANCE, 'checked the invoice'));
      expect(approved.approval).toMatchObject({ status: 'executed', decidedBy: 'u-finance', decidedAt: now, requestedBy: 'u-acme' });
      expect(approved.result.row).toMatchObject({ id, amount: 900 });
      expect((await orderRow(id))!.amount).toBe(900);
      expect(events.slice(eventsBefore)).toEqual([
        expect.objectContaining({
          tool: 'db_update',
          model: 'Order',
          operation: 'update',
          userId: 'u-acme',
          tenantId: 'acme',
          approval: { id: approvalId, approvals: [{ rule: 'large-refund', approvedBy: 'u-finance', approvedAt: now }] },
        }),
      ]);
      // Approving again returns the same result and does not write again.
      const again = expectOk(await ormai.approvals.approve(approvalId, FINANCE));
      expect(again.result).toEqual(approved.result);
      expect(events.length).toBe(eventsBefore + 1);
      // Once executed, the request and its result are still only the tenant's approvers' to see.
      const globexFinance = { ...FINANCE, tenantId: 'globex', userId: 'u-globex-finance' };
      expect(await ormai.approvals.approve(approvalId, globexFinance)).toEqual(await ormai.approvals.approve('no-such-approval', globexFinance));
      expect(await ormai.approvals.deny(approvalId, globexFinance, 'probing')).toEqual(await ormai.approvals.deny('no-such-approval', globexFinance, 'probing'));
      expectError(await ormai.approvals.approve(approvalId, SUPERVISOR), 'approver_not_allowed');
      expectError(await ormai.approvals.approve(approvalId, { ...ACME, roles: ['finance'] }), 'approver_not_allowed');
      expect(expectOk(await ormai.call('db_approval_status', { approvalId }, ACME))).toMatchObject({ status: 'executed', result: approved.result });
      expectNoForbiddenValues(approved.result);
    });

    it('concurrent approvals of one request execute it exactly once', async () => {
      const gated = expectError(await ormai.call('db_update', { model: 'Order', id: acmeOrder(6), values: { amount: 700 }, reason: 'refund for the late delivery' }, ACME), 'approval_required');
      const eventsBefore = events.length;
      const results = await Promise.all([1, 2, 3].map((i) => ormai.approvals.approve(gated.details.approvalId as string, { ...FINANCE, userId: `u-finance-${i}` })));
      for (const r of results) expect(r.ok).toBe(true);
      expect(events.length).toBe(eventsBefore + 1);
    });

    it('denied approvals never run; fieldsChanged gates bulk updates too', async () => {
      const cancel = expectError(await ormai.call('db_update', { model: 'Order', id: acmeOrder(7), values: { status: 'cancelled' }, reason: 'customer cancelled by phone' }, ACME), 'approval_required');
      expect(cancel.details.rule).toBe('status-cancel');
      expectOk(await ormai.approvals.deny(cancel.details.approvalId as string, SUPERVISOR, 'not confirmed in writing'));
      expectError(await ormai.approvals.approve(cancel.details.approvalId as string, SUPERVISOR), 'approval_not_pending');
      expect((await orderRow(acmeOrder(7)))!.status).not.toBe('cancelled');
      const bulk = expectError(
        await ormai.call('db_bulk_update', { model: 'Order', where: { field: 'id', op: 'eq', value: acmeOrder(12) }, values: { status: 'cancelled' }, reason: 'customer cancelled by phone' }, ACME),
        'approval_required',
      );
      expect(bulk.details.rule).toContain('status-cancel');
    });

    it('a bulk update of one row is gated like an update of it', async () => {
      const id = acmeOrder(18);
      await shop.db.sequelize.query(`UPDATE orders SET amount = 900 WHERE id = ${id}`);
      expectError(await ormai.call('db_update', { model: 'Order', id, values: { status: 'shipped' }, reason: REASON }, ACME), 'approval_required');
      const bulk = expectError(
        await ormai.call('db_bulk_update', { model: 'Order', where: { field: 'id', op: 'eq', value: id }, values: { status: 'shipped' }, reason: REASON }, ACME),
        'approval_required',
      );
      expect(bulk.details.rule).toBe('large-refund');
    });

    it('the approvals API answers malformed calls with structured errors', async () => {
      expectError(await ormai.approvals.approve(123 as never, FINANCE), 'not_found');
      expectError(await ormai.approvals.deny('apr_missing', FINANCE, 'no'), 'not_found');
    });

    it('value rules cannot be dodged through bulk updates or creates', async () => {
      const bulk = expectError(
        await ormai.call('db_bulk_update', { model: 'Order', where: { field: 'id', op: 'eq', value: acmeOrder(14) }, values: { amount: 99_999 }, reason: REASON }, ACME),
        'approval_required',
      );
      expect(bulk.details.rule).toBe('large-refund');
      const create = expectError(
        await ormai.callTool('db_create', { model: 'Order', values: { status: 'open', amount: 99_999, customerId: shop.seeded.acmeCustomerIds[0] }, reason: REASON }, ACME),
        'approval_required',
      );
      expect(create.details.rule).toBe('large-refund');
    });

    it('a write triggering two rules needs an approver for each', async () => {
      const id = acmeOrder(15);
      const gated = expectError(await ormai.call('db_update', { model: 'Order', id, values: { amount: 950, status: 'cancelled' }, reason: 'refund and cancel, agreed by phone' }, ACME), 'approval_required');
      expect(gated.details.rule).toBe('large-refund, status-cancel');
      const first = expectOk(await ormai.approvals.approve(gated.details.approvalId as string, FINANCE));
      expect(first.waitingFor).toEqual(['status-cancel']);
      expect((await orderRow(id))!.status).not.toBe('cancelled');
      const second = expectOk(await ormai.approvals.approve(gated.details.approvalId as string, SUPERVISOR));
      expect(second.approval.status).toBe('executed');
      expect(await orderRow(id)).toMatchObject({ status: 'cancelled', amount: 950 });
    });

    it('an approved write refuses to run on rows that changed since the request', async () => {
      const [, customer] = shop.seeded.acmeCustomerIds;
      const args = { model: 'Order', where: { field: 'customerId', op: 'eq', value: customer }, values: { status: 'cancelled' }, reason: 'customer closed the account' };
      const gated = expectError(await ormai.callTool('db_bulk_update', args, ACME), 'approval_required');
      expectOk(await ormai.callTool('db_create', { model: 'Order', values: { status: 'open', customerId: customer }, reason: REASON }, ACME));
      expectError(await ormai.approvals.approve(gated.details.approvalId as string, SUPERVISOR), 'approval_stale');
      expect((await ormai.approvals.get(gated.details.approvalId as string))!.status).toBe('failed');
      const [cancelled] = await shop.db.sequelize.query(`SELECT count(*) AS n FROM orders WHERE customer_id = ${customer} AND status = 'cancelled' AND tenant_id = 'acme'`);
      const [before] = await shop.db.sequelize.query(`SELECT count(*) AS n FROM orders WHERE customer_id = ${customer} AND tenant_id = 'acme' AND status = 'cancelled' AND id IN (${shop.seeded.acmeOrderIds.join(',')})`);
      expect(Number((cancelled as any[])[0].n)).toBe(Number((before as any[])[0].n)); // nothing newly cancelled
    });

    it('foreign keys must point into the caller tenant, with no existence oracle', async () => {
      const other = expectError(
        await ormai.callTool('db_create', { model: 'Order', values: { status: 'open', customerId: shop.seeded.globexCustomerIds[0] }, reason: REASON }, ACME),
        'invalid_input',
      );
      const missing = expectError(await ormai.call('db_create', { model: 'Order', values: { status: 'open', customerId: 987_654 }, reason: REASON }, ACME), 'invalid_input');
      expect(other).toEqual(missing);
      expectError(await ormai.callTool('db_update', { model: 'Order', id: acmeOrder(16), values: { customerId: shop.seeded.globexCustomerIds[1] }, reason: REASON }, ACME), 'invalid_input');
    });

    it('a create preview inserts nothing and fires no hooks', async () => {
      let created = 0;
      shop.models.Order.addHook('afterCreate', 'count-creates', () => void (created += 1));
      const [count] = await shop.db.sequelize.query('SELECT count(*) AS n FROM orders');
      const preview = expectOk(await ormai.callTool('db_preview_write', { operation: 'create', model: 'Order', values: { status: 'open', amount: 5, customerId: shop.seeded.acmeCustomerIds[0] } }, ACME));
      expect(preview).toMatchObject({ affectedRows: 1, sample: [{ before: null, after: { status: 'open', amount: 5 } }] });
      const [after] = await shop.db.sequelize.query('SELECT count(*) AS n FROM orders');
      expect(after).toEqual(count);
      expect(created).toBe(0);
      shop.models.Order.removeHook('afterCreate', 'count-creates');
    });

    it('an approval whose execution fails is closed as failed, never left runnable or shown as executed', async () => {
      const { MemoryApprovalStore } = await import('@ormai/core');
      const store = new MemoryApprovalStore();
      const seenDuringWrite: string[] = [];
      const flaky = shop.withPolicy(writePolicy(), {
        approvals: store,
        clock,
        onWrite: async (event) => {
          seenDuringWrite.push((await store.get(event.approval!.id))!.status);
          throw new Error('audit sink down');
        },
      });
      const id = acmeOrder(17);
      const before = await orderRow(id);
      const gated = expectError(await flaky.call('db_update', { model: 'Order', id, values: { amount: 2_500 }, reason: 'refund approved by phone' }, ACME), 'approval_required');
      expectError(await flaky.approvals.approve(gated.details.approvalId as string, FINANCE), 'internal_error');
      expect((await flaky.approvals.get(gated.details.approvalId as string))!.status).toBe('failed');
      expectError(await flaky.approvals.approve(gated.details.approvalId as string, FINANCE), 'approval_not_pending');
      expect(seenDuringWrite).toEqual(['executing']); // a store outside the database never claims "executed" before the commit
      expect(await orderRow(id)).toEqual(before);
    });

    it('pending approvals expire after their SLA, also across a re-created store', async () => {
      const gated = expectError(await ormai.call('db_update', { model: 'Order', id: acmeOrder(9), values: { amount: 800 }, reason: 'goodwill refund for a regular' }, ACME), 'approval_required');
      const approvalId = gated.details.approvalId as string;
      const second = expectError(await ormai.call('db_update', { model: 'Order', id: acmeOrder(10), values: { amount: 850 }, reason: 'goodwill refund for a regular' }, ACME), 'approval_required');
      now += 3_600_000 + 1;
      const restarted = newOrmAI(); // a new process: new store object on the same table
      expect(expectOk(await restarted.call('db_approval_status', { approvalId }, ACME)).status).toBe('expired');
      expectError(await restarted.approvals.approve(approvalId, FINANCE), 'approval_not_pending');
      const { expired } = await restarted.approvals.sweep(); // the second one, never read, and any other overdue one
      expect(expired).toBeGreaterThanOrEqual(1);
      expect(await restarted.approvals.list({ status: 'pending' })).toEqual([]);
      expect((await restarted.approvals.get(second.details.approvalId as string))!.status).toBe('expired');
      expect((await orderRow(acmeOrder(9)))!.amount).not.toBe(800);
    });

    it('a write and what onWrite records in its transaction commit or roll back together', async () => {
      const id = acmeOrder(13);
      const before = await orderRow(id);
      const sinkDown = shop.withPolicy(writePolicy(), { clock, onWrite: () => { throw new Error('audit sink down'); } });
      expectError(await sinkDown.call('db_update', { model: 'Order', id, values: { amount: 77 }, reason: REASON }, ACME), 'internal_error');
      expect(await orderRow(id)).toEqual(before);

      await shop.db.sequelize.query('CREATE TABLE write_log (model VARCHAR(50), reason VARCHAR(200))');
      const logged = shop.withPolicy(writePolicy(), {
        clock,
        onWrite: async (event, transaction) => {
          await shop.db.sequelize.query('INSERT INTO write_log (model, reason) VALUES ($1, $2)', { bind: [event.model, event.reason], transaction: transaction as never });
        },
      });
      expectOk(await logged.call('db_update', { model: 'Order', id, values: { amount: 78 }, reason: REASON }, ACME));
      expectError(await logged.call('db_update', { model: 'Order', id, values: { status: null }, reason: REASON }, ACME), 'invalid_input');
      const [log] = await shop.db.sequelize.query('SELECT model, reason FROM write_log');
      expect(log).toEqual([{ model: 'Order', reason: REASON }]);
      expect((await orderRow(id))!.amount).toBe(78);
    });

    it('maxWritesPerMinute holds under 50 concurrent writes: exactly 20 succeed', async () => {
      const limited = newOrmAI();
      const id = shop.seeded.acmeCustomerIds[2]!;
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => limited.call('db_update', { model: 'Customer', id, values: { name: `Renamed ${i}` }, reason: REASON }, { ...ACME, userId: `u-${i % 3}` })),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(20);
      const refused = results.filter((r) => !r.ok);
      expect(refused).toHaveLength(30);
      for (const r of refused) expect(r.ok ? null : r.error.code).toBe('rate_limited');
      now += 60_000;
      expectOk(await limited.call('db_update', { model: 'Customer', id, values: { name: 'Next minute' }, reason: REASON }, ACME));
    });
  });
}
