import { describe, expect, it } from 'vitest';
import { MemoryAuditSink } from '@ormai/core';
import { CallExpectationError, expectCall } from '@ormai/core/testing';
import { ACME, GLOBEX, useShop } from './support/shop-fixture.js';
import { shopPolicy, writePolicy } from './support/shop.js';

/** Runs `assertion` and returns the error it threw (failing the test when it threw none). */
async function failureOf(assertion: Promise<unknown>): Promise<CallExpectationError> {
  const error = await assertion.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CallExpectationError);
  return error as CallExpectationError;
}

describe('expectCall: a policy states which calls succeed and which fail', () => {
  const shop = useShop('sqlite');

  it('passes when the policy answers as stated, and hands back the data or the error', async () => {
    const ormai = shop.ormai;
    const [acmeCustomer] = shop.seeded.acmeCustomerIds;
    const data = await expectCall(ormai, ACME, 'db_get', { model: 'Customer', id: acmeCustomer!, select: ['name'] }).toSucceed();
    expect(data.row).toEqual({ name: 'Acme Customer 0' });
    const error = await expectCall(ormai, ACME, 'db_get', { model: 'Customer', id: acmeCustomer!, select: ['notes'] }).toFailWith('field_not_allowed');
    expect(error.details).toMatchObject({ model: 'Customer', field: 'notes' });
    await expectCall(ormai, ACME, 'db_get', { model: 'Customer', id: shop.seeded.globexCustomerIds[0]! }).toFailWith('not_found');
    await expectCall(ormai, ACME, 'db_query', { model: 'Customer', limit: 50 }).toReturnRows(5);
    await expectCall(ormai, GLOBEX, 'db_aggregate', { model: 'Order', op: 'count', groupBy: ['status'] }).toReturnRows(3);
    await expectCall(writePolicyInstance(), ACME, 'db_update', { model: 'Order', id: shop.seeded.acmeOrderIds[0]!, values: { amount: 1 } }).toFailWith('reason_required');
  });

  it('fails with a message that says what was expected and what happened', async () => {
    const ormai = shop.ormai;
    const id = shop.seeded.acmeCustomerIds[0]!;
    const denied = await failureOf(expectCall(ormai, ACME, 'db_get', { model: 'Customer', id, select: ['notes'] }).toSucceed());
    expect(denied.message).toMatch(/^expected db_get on Customer as u-acme of acme to succeed, but it failed with field_not_allowed: /);
    expect(denied.actual).toMatchObject({ ok: false, error: { code: 'field_not_allowed' } });

    const allowed = await failureOf(expectCall(ormai, ACME, 'db_query', { model: 'Customer', select: ['name'], limit: 2 }).toFailWith('field_not_allowed'));
    expect(allowed.message).toBe('expected db_query on Customer as u-acme of acme to fail with field_not_allowed, but it succeeded with 2 rows');

    const otherCode = await failureOf(expectCall(ormai, ACME, 'db_query', { model: 'InternalNote' }).toFailWith('field_not_allowed'));
    expect(otherCode.message).toMatch(/to fail with field_not_allowed, but it failed with model_not_allowed: /);

    const count = await failureOf(expectCall(ormai, ACME, 'db_query', { model: 'Customer', limit: 50 }).toReturnRows(4));
    expect(count.message).toBe('expected db_query on Customer as u-acme of acme to return 4 rows, but it returned 5');
    const rowless = await failureOf(expectCall(ormai, ACME, 'db_describe_schema', {}).toReturnRows(1));
    expect(rowless.message).toMatch(/to return 1 row, but its result has no rows$/);
  });

  it('runs the call once, through the audit, however many expectations read it', async () => {
    const sink = new MemoryAuditSink();
    const ormai = shop.withPolicy(shopPolicy(), { audit: { sink } });
    const call = expectCall(ormai, ACME, 'db_query', { model: 'Customer', limit: 1 });
    await call.toSucceed();
    await call.toReturnRows(1);
    await ormai.audit.flush();
    expect(sink.all().map((r) => [r.action, r.decision])).toEqual([['db_query', 'allowed']]);
  });

  function writePolicyInstance() {
    return shop.withPolicy(writePolicy());
  }
});
