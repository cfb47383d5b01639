import { describe, expect, it } from 'vitest';
import { definePolicy } from '@ormai/core';
import { DIALECTS } from './support/databases.js';
import { ACME, useShop } from './support/shop-fixture.js';
import { shopPolicySpec } from './support/shop.js';
import { expectError, expectOk } from './support/assertions.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: budgets, paging and aggregates`, () => {
    const shop = useShop(dialect);

    it('maxRows caps the default page and refuses larger limits with the limit to use', async () => {
      const page = expectOk(await shop.ormai.call('db_query', { model: 'Order' }, ACME));
      expect(page.rows).toHaveLength(20);
      expect(page.nextCursor).toEqual(expect.any(String));
      const error = expectError(await shop.ormai.call('db_query', { model: 'Order', limit: 21 }, ACME), 'max_rows_exceeded');
      expect(error).toMatchObject({ retryable: true, details: { maxRows: 20, requested: 21 } });
      expect(error.suggestion).toContain('limit <= 20');
      expectError(await shop.ormai.call('db_query', { model: 'Customer', include: [{ relation: 'orders', limit: 500 }] }, ACME), 'max_rows_exceeded');
    });

    it('included rows are capped per parent inside the SQL', async () => {
      const [busy] = shop.seeded.acmeCustomerIds;
      shop.statements.length = 0;
      const data = expectOk(await shop.ormai.call('db_get', { model: 'Customer', id: busy!, include: [{ relation: 'orders', limit: 7 }] }, ACME));
      expect(data.row.orders).toHaveLength(7);
      const includeSql = shop.statements.find((sql) => /FROM .orders. AS t/.test(sql) && sql.includes('ROW_NUMBER()'));
      expect(includeSql).toMatch(/ROW_NUMBER\(\) OVER \(PARTITION BY t\."customer_id"/);
      expect(includeSql).toMatch(/"__ormai_rn" <= (\$|\?)\d+/);
      const all = expectOk(await shop.ormai.call('db_query', { model: 'Customer', include: [{ relation: 'orders' }] }, ACME));
      for (const customer of all.rows) expect(customer.orders.length).toBeLessThanOrEqual(20);
      expect(all.rows.find((c: any) => c.id === busy).orders).toHaveLength(20);
    });

    it('maxJoinDepth bounds include nesting', async () => {
      const include = [{ relation: 'orders', include: [{ relation: 'items', include: [{ relation: 'product' }] }] }];
      const error = expectError(await shop.ormai.call('db_query', { model: 'Customer', include }, ACME), 'join_depth_exceeded');
      expect(error.details).toEqual({ depth: 3, maxJoinDepth: 2 });
      expectOk(await shop.ormai.call('db_query', { model: 'Order', include: [{ relation: 'items', include: [{ relation: 'product' }] }] }, ACME));
    });

    it('keyset pagination visits every row exactly once, nulls included, in both directions', async () => {
      for (const orderBy of [[{ field: 'amount', direction: 'desc' }], [{ field: 'amount', direction: 'asc' }], [{ field: 'placedAt' }, { field: 'status', direction: 'desc' }]]) {
        const seen: number[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = expectOk(await shop.ormai.callTool('db_query', { model: 'Order', select: ['id', 'amount'], orderBy, limit: 7, ...(cursor ? { cursor } : {}) }, ACME));
          seen.push(...page.rows.map((r: any) => r.id));
          cursor = page.nextCursor ?? undefined;
          pages += 1;
        } while (cursor && pages < 50);
        expect(seen).toHaveLength(new Set(seen).size);
        expect([...seen].sort((a, b) => a - b)).toEqual([...shop.seeded.acmeOrderIds].sort((a, b) => a - b));
      }
      // Ascending puts nulls last, descending first, on every dialect.
      for (const direction of ['asc', 'desc'] as const) {
        const amounts: Array<number | null> = [];
        let cursor: string | undefined;
        do {
          const page = expectOk(await shop.ormai.call('db_query', { model: 'Order', select: ['amount'], orderBy: [{ field: 'amount', direction }], limit: 20, ...(cursor ? { cursor } : {}) }, ACME));
          amounts.push(...page.rows.map((r: any) => r.amount));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        const values = amounts.filter((a): a is number => a !== null);
        const nulls = amounts.length - values.length;
        expect(nulls).toBeGreaterThan(0);
        expect(direction === 'asc' ? amounts.slice(-nulls) : amounts.slice(0, nulls)).toEqual(Array(nulls).fill(null));
        expect(values).toEqual([...values].sort((a, b) => (direction === 'asc' ? a - b : b - a)));
      }
    });

    it('date-times without a zone mean UTC, identically on every dialect', async () => {
      const count = async (value: string) =>
        expectOk(await shop.ormai.call('db_aggregate', { model: 'Order', op: 'count', where: { field: 'placedAt', op: 'gte', value } }, ACME)).value;
      // Customer 0's orders fall on Jan 1..30 at 12:00 UTC: 26 of them from Jan 5 noon on.
      expect(await count('2026-01-05T12:00:00Z')).toBe(26);
      expect(await count('2026-01-05T12:00:00')).toBe(26);
      expect(await count('2026-01-05 12:00')).toBe(26);
      expect(await count('2026-01-05T13:00:00+01:00')).toBe(26);
      expect(await count('2026-01-05T12:00:01Z')).toBe(25);
    });

    it('aggregates are computed in SQL and match the data', async () => {
      const [rows] = await shop.db.sequelize.query(
        `SELECT count(*) AS n, sum(amount) AS s, min(amount) AS lo, max(amount) AS hi, avg(amount) AS av FROM orders WHERE tenant_id = 'acme'`,
      );
      const truth = (rows as any[])[0];
      const call = (input: object) => shop.ormai.callTool('db_aggregate', { model: 'Order', ...input }, ACME);
      expect(expectOk(await call({ op: 'count' })).value).toBe(Number(truth.n));
      expect(expectOk(await call({ op: 'sum', field: 'amount' })).value).toBe(Number(truth.s));
      expect(expectOk(await call({ op: 'min', field: 'amount' })).value).toBe(Number(truth.lo));
      expect(expectOk(await call({ op: 'max', field: 'amount' })).value).toBe(Number(truth.hi));
      expect(expectOk(await call({ op: 'avg', field: 'amount' })).value).toBeCloseTo(Number(truth.av), 6);
      const latest = expectOk(await call({ op: 'max', field: 'placedAt' })).value;
      expect(latest).toBe('2026-01-30T12:00:00.000Z');
      const open = expectOk(await call({ op: 'count', where: { field: 'status', op: 'eq', value: 'open' } })).value;
      const grouped = expectOk(await call({ op: 'count', groupBy: ['status'] }));
      expect(grouped.groups.find((g: any) => g.key.status === 'open').value).toBe(open);
      expect(grouped.truncated).toBe(false);
      expectError(await call({ op: 'sum', field: 'status' }), 'field_not_allowed');
      expectError(await call({ op: 'sum' }), 'invalid_input');
    });

    it('maxScanRows refuses statements that would read too much', async () => {
      // Acme has 5 customers and the table 9: either way, more than 4 rows.
      const tight = shop.withPolicy(definePolicy({ ...shopPolicySpec, budgets: { ...shopPolicySpec.budgets, maxScanRows: 4 } }));
      const error = expectError(await tight.call('db_query', { model: 'Customer', orderBy: [{ field: 'vip' }] }, ACME), 'scan_budget_exceeded');
      expect(error.retryable).toBe(true);
      expect(error.details).toEqual({ model: 'Customer', maxScanRows: 4, indexedFields: ['id', 'name'] });
      expect(error.suggestion).toMatch(/indexed field \(id, name\)/);
      expectError(await tight.call('db_aggregate', { model: 'Customer', op: 'count' }, ACME), 'scan_budget_exceeded');
      // Small reference tables stay cheap: no estimate needed below the budget.
      expectOk(await tight.call('db_query', { model: 'Product' }, ACME));
    });
  });
}
