import { describe, expect, it } from 'vitest';
import { generateText, stepCountIs } from 'ai';
import { MemoryAuditSink, teeSink, type OrmAI, type ToolResult } from '@ormai/core';
import { ormaiTools } from '@ormai/ai-sdk';
import { scriptedModel } from '@ormai/ai-sdk/testing';
import { sequelizeApprovalStore } from '@ormai/sequelize';
import { DIALECTS } from './support/databases.js';
import { ACME, GLOBEX, useShop } from './support/shop-fixture.js';
import { writePolicy } from './support/shop.js';
import { sqlAuditSink } from './support/audit-sql.js';

const REASON = 'customer asked by email to correct the order';
const FINANCE = { tenantId: 'acme', userId: 'u-finance', roles: ['finance'] };
const SUPERVISOR = { tenantId: 'acme', userId: 'u-super', roles: ['supervisor'] };

/** What the caller saw, per call: the audit must hold exactly these, one record each. */
type Expected = { action: string; decision: string };
const outcome = (action: string, result: ToolResult): Expected => ({ action, decision: result.ok ? 'allowed' : result.error.code });
const sortKey = (e: Expected) => `${e.action} ${e.decision}`;

for (const dialect of DIALECTS) {
  describe(`${dialect}: one audit record per call, whatever the route and the outcome`, () => {
    const shop = useShop(dialect);

    it('a scripted session over every tool, the approvals API and an AI SDK run', async () => {
      let now = Date.UTC(2026, 10, 29, 9, 0, 0);
      const sink = new MemoryAuditSink();
      const sql = await sqlAuditSink(shop.db.sequelize, `count_${dialect}`);
      const ormai: OrmAI = shop.withPolicy(writePolicy(), { approvals: sequelizeApprovalStore(shop.db.sequelize), clock: () => now, audit: { sink: teeSink(sink, sql) } });
      const expected: Expected[] = [];
      const call = async (tool: string, input: unknown, context: object = ACME) => {
        const result = await ormai.callTool(tool, input, context as never);
        expected.push(outcome(tool, result));
        return result;
      };
      const acmeOrder = shop.seeded.acmeOrderIds[3]!;
      const globexOrder = shop.seeded.globexOrderIds[0]!;

      // Reads: allowed, invalid, denied, over budget, other tenant, unknown tool, bad context.
      await call('db_describe_schema', {});
      await call('db_query', { model: 'Order', where: { field: 'status', op: 'eq', value: 'open' }, limit: 5 });
      await call('db_query', { model: 'Order', limit: 'many' });
      await call('db_query', { model: 'Customer', where: { field: 'notes', op: 'contains', value: 'x' } });
      await call('db_query', { model: 'Order', where: { field: 'tenantId', op: 'eq', value: 'globex' } });
      await call('db_query', { model: 'Order', limit: 5_000 });
      await call('db_query', { model: 'Payroll' });
      await call('db_get', { model: 'Order', id: acmeOrder, include: [{ relation: 'customer' }] });
      await call('db_get', { model: 'Order', id: globexOrder });
      await call('db_aggregate', { model: 'Order', op: 'count', groupBy: ['status'] });
      await call('db_drop_table', { model: 'Order' });
      await call('db_query', { model: 'Order' }, { userId: 'no-tenant' });
      // Writes: allowed, no reason, gated (approval), dry run required, preview, status.
      await call('db_create', { model: 'Order', values: { status: 'open', amount: 10, customerId: shop.seeded.acmeCustomerIds[1] }, reason: REASON });
      await call('db_update', { model: 'Order', id: acmeOrder, values: { status: 'shipped' } });
      await call('db_update', { model: 'Order', id: acmeOrder, values: { amount: 90 }, reason: REASON });
      const gated = await call('db_update', { model: 'Order', id: acmeOrder, values: { amount: 900 }, reason: REASON });
      const denied = await call('db_update', { model: 'Order', id: shop.seeded.acmeOrderIds[4]!, values: { status: 'cancelled' }, reason: REASON });
      const expiring = await call('db_update', { model: 'Order', id: shop.seeded.acmeOrderIds[5]!, values: { amount: 700 }, reason: REASON });
      await call('db_bulk_update', { model: 'Order', where: { field: 'status', op: 'in', value: ['open', 'shipped'] }, values: { status: 'shipped' }, reason: REASON });
      await call('db_preview_write', { operation: 'delete', model: 'Order', id: acmeOrder });
      await call('db_delete', { model: 'Order', id: globexOrder, reason: REASON });
      const approvalId = (r: ToolResult) => (r.ok ? '' : (r.error.details as { approvalId: string }).approvalId);
      await call('db_approval_status', { approvalId: approvalId(gated) });

      // The approvals API: an approval runs the write (two records: the decision, the execution), a denial, an expiry.
      const approved = await ormai.approvals.approve(approvalId(gated), FINANCE);
      expect(approved.ok).toBe(true);
      expected.push({ action: 'approvals.approve', decision: 'allowed' }, { action: 'approvals.execute', decision: 'allowed' });
      expected.push(outcome('approvals.deny', await ormai.approvals.deny(approvalId(denied), SUPERVISOR, 'not today')));
      expected.push(outcome('approvals.approve', await ormai.approvals.approve(approvalId(denied), SUPERVISOR)));
      now += 2 * 3_600_000;
      expect(await ormai.approvals.sweep()).toEqual({ expired: 1 });
      expected.push({ action: 'approvals.expire', decision: 'allowed' });
      expect(approvalId(expiring)).not.toBe('');

      // A middleware that throws is an internal error, recorded like the rest.
      const broken = ormai.withMiddleware({ name: 'broken', wrapCall: () => Promise.reject(new Error('boom')) });
      expected.push(outcome('db_query', await broken.callTool('db_query', { model: 'Order' }, GLOBEX)));

      // An AI SDK run past its step budget: the adapter's own refusals are records too.
      const model = scriptedModel(() => ({ toolCalls: [{ toolName: 'db_aggregate', input: { model: 'Order', op: 'count' } }] }));
      const run = await generateText({ model, tools: ormaiTools(ormai, { context: ACME, maxToolCalls: 2 }), stopWhen: stepCountIs(4), prompt: 'loop' });
      for (const step of run.steps) {
        for (const r of step.toolResults) {
          const code = (r.output as { error?: { code: string } }).error?.code;
          expected.push({ action: 'db_aggregate', decision: code ?? 'allowed' });
        }
      }
      expect(expected.filter((e) => e.decision === 'step_budget_exceeded')).toHaveLength(2);

      await ormai.audit.flush();
      const records = sink.all();
      expect(records).toHaveLength(expected.length);
      expect(records.map((r) => ({ action: r.action, decision: r.decision })).map(sortKey).sort()).toEqual(expected.map(sortKey).sort());
      expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
      // Every outcome class of the script is present.
      const decisions = new Set(records.map((r) => r.decision));
      for (const code of ['allowed', 'invalid_input', 'field_not_allowed', 'tenant_mismatch', 'max_rows_exceeded', 'model_not_allowed', 'not_found', 'unknown_tool', 'invalid_context', 'reason_required', 'approval_required', 'dry_run_required', 'step_budget_exceeded', 'internal_error', 'approval_not_pending']) {
        expect(decisions, code).toContain(code);
      }
      const execution = records.find((r) => r.action === 'approvals.execute')!;
      expect(execution).toMatchObject({ tenantId: 'acme', userId: 'u-acme', approvalId: approvalId(gated), approvers: ['u-finance'], rowsAffected: 1 });
      expect(records.find((r) => r.action === 'approvals.expire')).toMatchObject({ userId: 'ormai:system', tenantId: 'acme', approvalId: approvalId(expiring) });
      expect(records.filter((r) => r.toolCallId !== null)).toHaveLength(4);
      expect(await ormai.audit.verify()).toMatchObject({ ok: true, count: expected.length });
      // The database holds the same records, chained (writes' records went in with their transactions).
      await ormai.close();
      const [rows] = await shop.db.sequelize.query(`SELECT action, decision FROM count_${dialect}_records`);
      expect((rows as Expected[]).map(sortKey).sort()).toEqual(expected.map(sortKey).sort());
      expect(await sql.verify()).toMatchObject({ ok: true, count: expected.length });
    });
  });
}
