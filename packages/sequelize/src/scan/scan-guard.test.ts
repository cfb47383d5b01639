import { describe, expect, it } from 'vitest';
import { ExecutionLimitError } from '@ormai/core';
import type { TableMeta } from '../introspect.js';
import type { ReadSession } from '../session.js';
import { pgScanGuard } from './scan-guard.js';

const meta: TableMeta = { model: 'Order', table: '"orders"', name: 'orders', columns: { id: 'id' }, types: { id: 'integer' }, primaryKey: 'id' };
const statement = { sql: 'SELECT t."id" AS "id" FROM "orders" AS t WHERE 1=1 LIMIT $1', params: [21], model: 'Order' };

/** A session answering the guard's statistics query for a large table, and EXPLAIN with `plan`. */
const sessionWith = (plan: unknown): ReadSession => ({
  all: async (sql) =>
    sql.startsWith('EXPLAIN')
      ? [{ 'QUERY PLAN': plan }]
      : [{ kind: 'r', reltuples: 1_000_000, relpages: 10_000, curpages: 10_000, blockSize: 8192 }],
});

describe('pgScanGuard', () => {
  it('fails closed when the plan cannot be read (a driver returning EXPLAIN as text, say)', async () => {
    const guard = pgScanGuard();
    for (const plan of ['[{"Plan": {}}]', null, [], [{}]]) {
      await expect(guard(sessionWith(plan), statement, meta, 10_000)).rejects.toSatisfy(ExecutionLimitError.isInstance);
    }
  });

  it('passes a plan it can read and that stays within the budget', async () => {
    const plan = [{ Plan: { 'Node Type': 'Index Scan', 'Plan Rows': 1, 'Index Cond': '(id = $1)' } }];
    await expect(pgScanGuard()(sessionWith(plan), statement, meta, 10_000)).resolves.toBeUndefined();
  });
});
