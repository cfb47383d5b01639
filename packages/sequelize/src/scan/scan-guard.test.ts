import { describe, expect, it } from 'vitest';
import { ExecutionLimitError } from '@ormai/core';
import type { TableMeta } from '../introspect.js';
import type { ReadSession } from '../session.js';
import { pgScanGuard } from './pg-scan-guard.js';

const meta: TableMeta = { model: 'Order', table: '"orders"', name: 'orders', columns: { id: 'id', customerId: 'customer_id' }, types: { id: 'integer', customerId: 'integer' }, primaryKey: 'id' };
const statement = { sql: 'SELECT t."id" AS "id" FROM "orders" AS t WHERE 1=1 LIMIT $1', params: [21], model: 'Order' };
const byCustomer = { sql: 'SELECT t."id" AS "id" FROM "orders" AS t WHERE t."customer_id" = $1 ORDER BY t."id" ASC NULLS LAST LIMIT $2', params: [7, 21], model: 'Order' };
const indexes = [
  { index: 'orders_pkey', unique: true, columns: ['id'] },
  { index: 'orders_customer_id', unique: false, columns: ['customer_id'] },
];

/** A session answering the guard's catalog queries for a large table (`columnStats` from pg_stats), and EXPLAIN with `plan`. */
const sessionWith = (plan: unknown, columnStats: unknown[] = [], tableStats = { reltuples: 1_000_000, relpages: 10_000, curpages: 10_000 }): ReadSession => ({
  all: async (sql) => {
    if (sql.startsWith('EXPLAIN')) return [{ 'QUERY PLAN': plan }];
    if (sql.includes('FROM pg_index ')) return indexes;
    if (sql.includes('pg_stats')) return columnStats as never;
    return [{ kind: 'r', ...tableStats, blockSize: 8192 }];
  },
});

describe('pgScanGuard', () => {
  it('fails closed when the plan cannot be read (a driver returning EXPLAIN as text, say)', async () => {
    const guard = pgScanGuard();
    for (const plan of ['[{"Plan": {}}]', null, [], [{}]]) {
      await expect(guard(sessionWith(plan), statement, meta, 10_000)).rejects.toSatisfy(ExecutionLimitError.isInstance);
    }
  });

  it('passes a plan it can read and that stays within the budget', async () => {
    const plan = [{ Plan: { 'Node Type': 'Index Scan', 'Plan Rows': 1, 'Index Name': 'orders_pkey', 'Index Cond': '(id = $1)' } }];
    const byId = { sql: 'SELECT t."id" AS "id" FROM "orders" AS t WHERE t."id" = $1 LIMIT $2', params: [5, 21], model: 'Order' };
    await expect(pgScanGuard()(sessionWith(plan), byId, meta, 10_000)).resolves.toBeUndefined();
  });

  it("bounds an index search by its column's most frequent value, and by the table when ANALYZE never ran", async () => {
    // The planner expects 3 rows for this customer; without statistics nothing says another customer does not hold them all.
    const plan = [{ Plan: { 'Node Type': 'Sort', 'Plan Rows': 3, Plans: [{ 'Node Type': 'Index Scan', 'Plan Rows': 3, 'Index Name': 'orders_customer_id', 'Index Cond': '(customer_id = 7)' }] } }];
    await expect(pgScanGuard()(sessionWith(plan), byCustomer, meta, 10_000)).rejects.toSatisfy(ExecutionLimitError.isInstance);
    const analyzed = [{ column: 'customer_id', nDistinct: 5_000, nullFrac: 0, maxFreq: 0.004, mcvFreq: 0.2, mcvCount: 100 }];
    await expect(pgScanGuard()(sessionWith(plan, analyzed), byCustomer, meta, 10_000)).resolves.toBeUndefined();
    const skewed = [{ column: 'customer_id', nDistinct: 5_000, nullFrac: 0, maxFreq: 0.5, mcvFreq: 0.7, mcvCount: 100 }];
    await expect(pgScanGuard()(sessionWith(plan, skewed), byCustomer, meta, 10_000)).rejects.toSatisfy(ExecutionLimitError.isInstance);
  });

  it('does not trust statistics that count fewer rows than the pages added since can hold', async () => {
    // A count over 200,000 rows loaded after the table was emptied and analyzed (reltuples 0 in 271 pages):
    // the planner guesses 54 rows; the table's 1,352 pages hold far more.
    const count = [{ Plan: { 'Node Type': 'Aggregate', 'Plan Rows': 1, 'Plan Width': 8, Plans: [{ 'Node Type': 'Seq Scan', 'Plan Rows': 54, 'Plan Width': 0, Filter: "((msg)::text ~~ '%9%'::text)" }] } }];
    const countAll = { sql: 'SELECT COUNT(*) AS "n" FROM "orders" AS t WHERE t."customer_id" = $1', params: [7], model: 'Order' };
    const emptied = { reltuples: 0, relpages: 271, curpages: 1_352 };
    await expect(pgScanGuard()(sessionWith(count, [], emptied), countAll, meta, 10_000)).rejects.toSatisfy(ExecutionLimitError.isInstance);
    // Mostly emptied (10 rows left in 400 pages), then reloaded: scaled, the statistics say 43 rows.
    const sparse = { reltuples: 10, relpages: 400, curpages: 1_700 };
    await expect(pgScanGuard()(sessionWith(count, [], sparse), countAll, meta, 10_000)).rejects.toSatisfy(ExecutionLimitError.isInstance);
    // Statistics as of the table's current pages still skip the plan: a small table costs no EXPLAIN.
    await expect(pgScanGuard()(sessionWith(null, [], { reltuples: 5_000, relpages: 50, curpages: 50 }), countAll, meta, 10_000)).resolves.toBeUndefined();
  });

  describe('on a read connection that can run generic plans', () => {
    const walk = (index: string, cond: string) => [{ Plan: { 'Node Type': 'Limit', 'Plan Rows': 21, Plans: [{ 'Node Type': 'Index Scan', 'Plan Rows': 500, 'Index Name': index, 'Index Cond': cond }] } }];
    const filtered = [{ Plan: { 'Node Type': 'Limit', 'Plan Rows': 21, Plans: [{ 'Node Type': 'Index Scan', 'Plan Rows': 1_000_000, 'Index Name': 'orders_pkey', Filter: '(customer_id = $1)' }] } }];
    const analyzed = [{ column: 'customer_id', nDistinct: 5_000, nullFrac: 0, maxFreq: 0.004, mcvFreq: 0.2, mcvCount: 100 }];

    /** Answers the generic probe with `generic` and EXPLAIN with the values with `forValues`; records the plan mode asked for. */
    function generic(genericPlan: unknown, forValues: unknown) {
      const sent: string[] = [];
      const modes: boolean[] = [];
      const session: ReadSession = {
        all: async (sql, params) => {
          sent.push(sql);
          if (sql.includes('PREPARE')) return [{ 'QUERY PLAN': genericPlan }] as never;
          return sessionWith(forValues, analyzed).all(sql, params);
        },
        useGenericPlans: async (on) => void modes.push(on),
      };
      return { session, sent, modes };
    }

    it('runs the generic plan when its estimate fits: no EXPLAIN with the values, then none at all for new values', async () => {
      const guard = pgScanGuard();
      const { session, sent, modes } = generic(walk('orders_customer_id', '(customer_id = $1)'), filtered);
      await guard(session, byCustomer, meta, 10_000);
      await guard(session, { ...byCustomer, params: [8, 21] }, meta, 10_000);
      expect(sent.filter((sql) => sql.includes('PREPARE'))).toHaveLength(1);
      // The probe holds the generic mode itself: in the default mode EXECUTE would plan for its NULLs.
      expect(sent.find((sql) => sql.includes('PREPARE'))).toMatch(/^SET LOCAL plan_cache_mode = force_generic_plan; PREPARE /);
      expect(sent.filter((sql) => sql.startsWith('EXPLAIN'))).toEqual([]);
      expect(modes).toEqual([true, true]);
    });

    it('falls back to the plan for the values when the generic one is over budget, and runs that plan', async () => {
      const { session, sent, modes } = generic(filtered, walk('orders_customer_id', '(customer_id = 7)'));
      await pgScanGuard()(session, byCustomer, meta, 10_000);
      expect(sent.filter((sql) => sql.startsWith('EXPLAIN'))).toHaveLength(1);
      expect(modes).toEqual([false]);
    });

    it('refuses when both plans are over budget, without touching the plan mode', async () => {
      const { session, modes } = generic(filtered, filtered);
      await expect(pgScanGuard()(session, byCustomer, meta, 10_000)).rejects.toSatisfy(ExecutionLimitError.isInstance);
      expect(modes).toEqual([]);
    });

    it('with valuesFallback off, refuses on the generic plan alone', async () => {
      const { session, sent } = generic(filtered, walk('orders_customer_id', '(customer_id = 7)'));
      await expect(pgScanGuard({ valuesFallback: false })(session, byCustomer, meta, 10_000)).rejects.toSatisfy(ExecutionLimitError.isInstance);
      expect(sent.filter((sql) => sql.startsWith('EXPLAIN'))).toEqual([]);
    });

    it('explains and runs the plan for the values on a partitioned table or a view', async () => {
      const { session, sent, modes } = generic(filtered, walk('orders_customer_id', '(customer_id = 7)'));
      const partitioned: ReadSession = { ...session, all: async (sql, params) => (sql.includes('FROM pg_class c WHERE') ? [{ kind: 'p', reltuples: -1, relpages: 0, curpages: 0, blockSize: 8192 }] : session.all(sql, params)) };
      await pgScanGuard()(partitioned, byCustomer, meta, 10_000);
      expect(sent.filter((sql) => sql.includes('PREPARE'))).toEqual([]);
      expect(modes).toEqual([false]);
    });
  });
});
