import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { definePolicy, type OrmAI, type Policy, type ToolResult } from '@ormai/core';
import { DIALECTS } from './support/databases.js';
import { ACME, useShop } from './support/shop-fixture.js';
import { shopPolicySpec, writePolicy, writePolicySpec } from './support/shop.js';
import { expectError, expectOk } from './support/assertions.js';

const REASON = 'customer asked by email to correct the order';

// What a driver says about a bad value: none of it may reach the agent.
const DRIVER_WORDING = /UTF8|0x00|for type|date\/time|invalid input syntax|value too long|SQLITE|canceling statement|lock/i;

/** Values the database would choke on (or silently store wrong): each must be refused before any SQL runs. */
const HOSTILE_FILTERS = [
  { field: 'status', op: 'eq', value: 'open\u0000' },
  { field: 'status', op: 'contains', value: '\u0000' },
  { field: 'amount', op: 'eq', value: 2_147_483_648 },
  { field: 'amount', op: 'lt', value: -2_147_483_649 },
  { field: 'amount', op: 'in', value: [1, 2_147_483_648] },
  { field: 'placedAt', op: 'gte', value: '0000-01-01T00:00:00Z' },
  { field: 'placedAt', op: 'lt', value: '2026-02-31' },
  { field: 'placedAt', op: 'lt', value: '2026-02-31T10:00:00Z' },
  { field: 'placedAt', op: 'lt', value: '2026-01-31T24:00:00Z' },
  { field: 'placedAt', op: 'lt', value: '2026-01-31T10:00:60Z' },
  { field: 'placedAt', op: 'lt', value: '2026-01-31T10:00:00+15:00' },
  { field: 'placedAt', op: 'between', value: ['2026-01-01', '9999-12-31T23:00:00-02:00'] },
];

const HOSTILE_VALUES = [{ status: 'open\u0000' }, { amount: 2_147_483_648 }, { amount: -2_147_483_649 }];

for (const dialect of DIALECTS) {
  describe(`${dialect}: values the database cannot store get invalid_input, never internal_error`, () => {
    const shop = useShop(dialect);
    const unexpected: unknown[] = [];
    const withSpy = (policy: Policy) => shop.withPolicy(policy, { onError: (error) => void unexpected.push(error) });
    // maxScanRows 1: every statement goes through the scan guard's EXPLAIN, with the agent's values bound.
    const guardedReads = () => withSpy(definePolicy({ ...shopPolicySpec, budgets: { ...shopPolicySpec.budgets, maxScanRows: 1 } }));
    let reads: OrmAI[];

    beforeAll(() => {
      reads = [withSpy(definePolicy(shopPolicySpec)), guardedReads()];
    });
    beforeEach(() => {
      unexpected.length = 0;
    });

    const refused = (result: ToolResult) => {
      const error = expectError(result, 'invalid_input');
      expect(JSON.stringify(error)).not.toMatch(DRIVER_WORDING);
      return error;
    };

    it('refuses NUL characters, out-of-range integers and impossible dates in read filters', async () => {
      for (const ormai of reads) {
        for (const where of HOSTILE_FILTERS) {
          refused(await ormai.callTool('db_query', { model: 'Order', where }, ACME));
          refused(await ormai.callTool('db_aggregate', { model: 'Order', op: 'count', where }, ACME));
        }
      }
      expect(unexpected).toEqual([]);
    });

    it('refuses an id beyond the key column range', async () => {
      for (const ormai of reads) {
        for (const id of [2_147_483_648, '-2147483649']) refused(await ormai.call('db_get', { model: 'Order', id }, ACME));
      }
      expect(unexpected).toEqual([]);
    });

    it('refuses the same values in writes, previews and write filters, changing nothing', async () => {
      const writes = withSpy(writePolicy());
      const id = shop.seeded.acmeOrderIds[3]!;
      const [before] = await shop.models.Order.findAll({ where: { id }, raw: true });
      const customerId = shop.seeded.acmeCustomerIds[1]!;
      for (const values of HOSTILE_VALUES) {
        refused(await writes.callTool('db_create', { model: 'Order', values: { status: 'open', customerId, ...values }, reason: REASON }, ACME));
        refused(await writes.callTool('db_update', { model: 'Order', id, values, reason: REASON }, ACME));
        refused(await writes.callTool('db_preview_write', { operation: 'update', model: 'Order', id, values }, ACME));
      }
      for (const where of HOSTILE_FILTERS) {
        refused(await writes.callTool('db_bulk_update', { model: 'Order', where, values: { status: 'shipped' }, reason: REASON }, ACME));
      }
      const [after] = await shop.models.Order.findAll({ where: { id }, raw: true });
      expect(after).toEqual(before);
      expect(unexpected).toEqual([]);
    });

    it('still accepts the edges of each range', async () => {
      const [ormai] = reads;
      for (const where of [
        { field: 'amount', op: 'lt', value: 2_147_483_647 },
        { field: 'amount', op: 'gt', value: -2_147_483_648 },
        { field: 'placedAt', op: 'between', value: ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z'] },
        { field: 'placedAt', op: 'lt', value: '2028-02-29T23:59:59+14:00' },
      ]) {
        expectOk(await ormai!.callTool('db_query', { model: 'Order', where }, ACME));
      }
      expect(unexpected).toEqual([]);
    });
  });
}

describe('postgres: errors from every statement of a call are classified, the scan guard included', () => {
  const shop = useShop('postgres');
  const unexpected: unknown[] = [];
  const withSpy = (policy: Policy) => shop.withPolicy(policy, { onError: (error) => void unexpected.push(error) });

  beforeEach(() => {
    unexpected.length = 0;
  });

  /** Runs `work` while another session holds an exclusive lock on orders: any statement touching it waits until cancelled. */
  const whileOrdersLocked = <T>(work: () => Promise<T>) =>
    shop.db.sequelize.transaction(async (transaction) => {
      await shop.db.sequelize.query('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE', { transaction });
      return work();
    });

  it('a statement timeout inside the scan guard (statistics or EXPLAIN) is statement_timeout, retryable', async () => {
    // maxScanRows 1 so the guard must EXPLAIN; the lock makes the guard's own statements wait, deterministically.
    const ormai = withSpy(definePolicy({ ...shopPolicySpec, budgets: { ...shopPolicySpec.budgets, maxScanRows: 1, statementTimeoutMs: 1 } }));
    shop.statements.length = 0;
    const [query, aggregate] = await whileOrdersLocked(async () => [
      await ormai.call('db_query', { model: 'Order', where: { field: 'status', op: 'eq', value: 'open' } }, ACME),
      await ormai.call('db_aggregate', { model: 'Order', op: 'count' }, ACME),
    ]);
    for (const result of [query!, aggregate!]) {
      const error = expectError(result, 'statement_timeout');
      expect(error.retryable).toBe(true);
      expect(JSON.stringify(error)).not.toMatch(DRIVER_WORDING);
    }
    // The timeout fired in the guard: the reads themselves were never sent.
    expect(shop.statements.filter((sql) => /^SELECT .* FROM "orders"/.test(sql))).toEqual([]);
    expect(unexpected).toEqual([]);
  });

  it('a statement timeout inside a write transaction is statement_timeout, and nothing changes', async () => {
    const writes = withSpy(definePolicy({ ...writePolicySpec, budgets: { ...writePolicySpec.budgets, statementTimeoutMs: 50 } }));
    const id = shop.seeded.acmeOrderIds[4]!;
    const [before] = await shop.models.Order.findAll({ where: { id }, raw: true });
    const result = await whileOrdersLocked(() => writes.call('db_update', { model: 'Order', id, values: { status: 'shipped' }, reason: REASON }, ACME));
    expect(expectError(result, 'statement_timeout').retryable).toBe(true);
    const [after] = await shop.models.Order.findAll({ where: { id }, raw: true });
    expect(after).toEqual(before);
    expect(unexpected).toEqual([]);
  });

  it('a value only the database can judge (too long for varchar(20)) is invalid_input from inside the write transaction', async () => {
    const writes = withSpy(writePolicy());
    const id = shop.seeded.acmeOrderIds[0]!; // amount 100: no approval rule applies
    const error = expectError(await writes.call('db_update', { model: 'Order', id, values: { status: 'x'.repeat(21) }, reason: REASON }, ACME), 'invalid_input');
    expect(JSON.stringify(error)).not.toMatch(DRIVER_WORDING);
    expect(unexpected).toEqual([]);
  });
});
