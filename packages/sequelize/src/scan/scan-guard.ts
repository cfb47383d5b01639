import { ExecutionLimitError } from '@ormai/core';
import type { TableMeta } from '../introspect.js';
import type { ReadSession } from '../session.js';
import type { CompiledSql } from '../sql/compile-select.js';
import { estimateRowsScanned, type PgPlanNode } from './pg-explain-estimate.js';
import { TableSizeCache } from './table-size-cache.js';

/** Throws `scan_budget_exceeded` before a statement runs when it would read more than `maxScanRows` rows. */
export type ScanGuard = (session: ReadSession, statement: CompiledSql, meta: TableMeta, maxScanRows: number) => Promise<void>;

const UNKNOWN = -1;

// The planner's own size estimate, scaled to the table's current size the way the planner does it.
const PG_TABLE_ROWS = `SELECT CASE WHEN c.reltuples < 0 THEN -1 WHEN c.relpages = 0 THEN c.reltuples
  ELSE c.reltuples / c.relpages * (pg_relation_size(c.oid) / current_setting('block_size')::int) END AS "rows"
  FROM pg_class c WHERE c.oid = to_regclass($1)`;

/**
 * PostgreSQL: a statement on a table the planner believes holds at most `maxScanRows` rows cannot exceed
 * the budget and skips EXPLAIN (it costs a round trip); any other statement is estimated from its plan.
 */
export function pgScanGuard(): ScanGuard {
  const sizes = new TableSizeCache();
  return async (session, statement, meta, maxScanRows) => {
    const tableRows = await sizes.rows(meta.table, async () => {
      const [row] = await session.all(PG_TABLE_ROWS, [meta.table]);
      return row ? Number(row.rows) : UNKNOWN;
    });
    if (tableRows !== UNKNOWN && tableRows <= maxScanRows) return;
    const [row] = await session.all(`EXPLAIN (FORMAT JSON) ${statement.sql}`, statement.params);
    const plan = (row?.['QUERY PLAN'] as Array<{ Plan: PgPlanNode }> | undefined)?.[0]?.Plan;
    if (!plan) return;
    const estimated = estimateRowsScanned(plan, tableRows === UNKNOWN ? 0 : tableRows);
    if (estimated > maxScanRows) throw new ExecutionLimitError('scan_budget_exceeded', meta.model, maxScanRows, estimated);
  };
}

/**
 * SQLite has no row estimates in its plans, so this is coarse and errs on the side of refusing: a
 * statement whose plan SCANs (rather than SEARCHes) a table larger than the budget counts the whole table.
 */
export function sqliteScanGuard(): ScanGuard {
  const sizes = new TableSizeCache();
  return async (session, statement, meta, maxScanRows) => {
    const tableRows = await sizes.rows(meta.table, async () => {
      const [row] = await session.all(`SELECT count(*) AS "n" FROM ${meta.table}`, []);
      return Number(row?.n ?? 0);
    });
    if (tableRows <= maxScanRows) return;
    const steps = await session.all(`EXPLAIN QUERY PLAN ${statement.sql}`, statement.params);
    const scansTable = steps.some((s) => /^SCAN t\b/.test(String(s.detail)));
    if (scansTable) throw new ExecutionLimitError('scan_budget_exceeded', meta.model, maxScanRows, tableRows);
  };
}
