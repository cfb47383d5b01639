import { describe, expect, it } from 'vitest';
import { callLogMiddleware, CallEventConfigError, MemoryAuditSink, type CallEvent } from '@ormai/core';
import { ACME, useShop } from './support/shop-fixture.js';
import { shopPolicy, writePolicy } from './support/shop.js';
import { expectError, expectNoForbiddenValues, expectOk } from './support/assertions.js';

const KEY = new TextEncoder().encode('log-key-kept-apart-from-the-secret');
const REASON = 'customer SECRET-HASH asked for the correction by email';

describe('structured call log', () => {
  const shop = useShop('sqlite');

  function logged(options: Parameters<typeof callLogMiddleware>[1], policy = writePolicy()) {
    const events: CallEvent[] = [];
    const ormai = shop.withPolicy(policy, { audit: { sink: new MemoryAuditSink() }, middleware: [callLogMiddleware((event) => events.push(event), options)] });
    return { ormai, events };
  }

  it('one JSON event per call, allowed or refused, with no input value, reason or row in it', async () => {
    const { ormai, events } = logged({ identifiers: 'clear' });
    const customerId = shop.seeded.acmeCustomerIds[0]!;
    expectOk(await ormai.call('db_query', { model: 'Customer', where: { field: 'name', op: 'eq', value: 'Acme Customer 1' }, select: ['name', 'loyaltyCode'] }, ACME, { runId: 'run-1', toolCallId: 'tc-1' }));
    expectError(await ormai.callTool('db_query', { model: 'Customer', where: { field: 'notes', op: 'contains', value: 'PRIVATE-NOTE' } }, ACME), 'field_not_allowed');
    expectError(await ormai.callTool('db_get', { model: 'Customer', id: shop.seeded.globexCustomerIds[0], select: ['apiToken'] }, ACME), 'field_not_allowed');
    expectOk(await ormai.call('db_update', { model: 'Customer', id: customerId, values: { name: 'Acme TAX-renamed' }, reason: REASON }, ACME));
    expectError(await ormai.callTool('db_update', { model: 'Order', id: shop.seeded.acmeOrderIds[0], values: { amount: 5 } }, ACME), 'reason_required');

    expect(events.map((e) => [e.action, e.decision, e.model, e.rowsReturned, e.rowsAffected])).toEqual([
      ['db_query', 'allowed', 'Customer', 1, null],
      ['db_query', 'field_not_allowed', 'Customer', null, null],
      ['db_get', 'field_not_allowed', 'Customer', null, null],
      ['db_update', 'allowed', 'Customer', null, 1],
      ['db_update', 'reason_required', 'Order', null, null],
    ]);
    expect(events[0]).toMatchObject({ type: 'ormai.call', tenantId: 'acme', userId: 'u-acme', runId: 'run-1', toolCallId: 'tc-1' });
    for (const event of events) {
      expect(JSON.parse(JSON.stringify(event))).toEqual(event); // plain JSON
      expect(new Date(event.time).getTime()).toBeGreaterThan(0);
      expect(event.durationMs).toBeGreaterThanOrEqual(0);
      expect(event.callId).toMatch(/^[0-9a-f]{32}$/);
    }
    const text = JSON.stringify(events);
    expectNoForbiddenValues(events);
    for (const value of ['Acme Customer 1', 'GOLD', 'SILVER', 'renamed', 'correction']) expect(text).not.toContain(value);
  });

  it("the audit's id for the call is the log's: one joins the other", async () => {
    const sink = new MemoryAuditSink();
    const events: CallEvent[] = [];
    const ormai = shop.withPolicy(shopPolicy(), { audit: { sink }, middleware: [callLogMiddleware((e) => events.push(e), { identifiers: 'omitted' })] });
    expectOk(await ormai.call('db_aggregate', { model: 'Order', op: 'count' }, ACME));
    await ormai.audit.flush();
    expect(events.map((e) => e.callId)).toEqual(sink.all().map((r) => r.id));
  });

  it('tenant, user and session: in clear, hashed under the key, or omitted', async () => {
    const context = { ...ACME, sessionId: 'session-42', requestId: 'req-7', traceId: 'trace-from-context' };
    const run = async (options: Parameters<typeof callLogMiddleware>[1]) => {
      const { ormai, events } = logged(options, shopPolicy());
      expectOk(await ormai.call('db_aggregate', { model: 'Order', op: 'count' }, context));
      return events[0]!;
    };
    expect(await run({ identifiers: 'clear' })).toMatchObject({ tenantId: 'acme', userId: 'u-acme', sessionId: 'session-42', requestId: 'req-7', traceId: 'trace-from-context', spanId: null });
    const hashed = await run({ key: KEY });
    expect([hashed.tenantId, hashed.userId, hashed.sessionId].every((id) => /^[0-9a-f]{64}$/.test(id ?? ''))).toBe(true);
    expect(hashed.tenantId).toBe((await run({ identifiers: 'hashed', key: KEY })).tenantId); // stable: logs can be grouped by tenant
    expect(hashed.tenantId).not.toBe((await run({ identifiers: 'hashed', key: new TextEncoder().encode('another key') })).tenantId);
    expect(JSON.stringify(hashed)).not.toMatch(/acme|session-42/);
    expect(await run({ identifiers: 'omitted' })).toMatchObject({ tenantId: null, userId: null, sessionId: null, requestId: 'req-7' });
    const traced = await run({ identifiers: 'omitted', traceContext: () => ({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) }) });
    expect(traced).toMatchObject({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) });
  });

  it('what crosses the boundary is a choice: no identifiers option, or hashed without a key, throws', () => {
    expect(() => callLogMiddleware(() => {})).toThrow(CallEventConfigError);
    expect(() => callLogMiddleware(() => {}, { identifiers: 'hashed' })).toThrow(/needs a `key`/);
  });

  it('a sink that throws changes no result; its error goes to onError', async () => {
    const reported: unknown[] = [];
    const ormai = shop.withPolicy(shopPolicy(), {
      middleware: [callLogMiddleware(() => { throw new Error('log pipe broken'); }, { identifiers: 'omitted', onError: (e) => reported.push(e) })],
    });
    expectOk(await ormai.call('db_aggregate', { model: 'Order', op: 'count' }, ACME));
    expect(reported).toEqual([new Error('log pipe broken')]);
  });
});
