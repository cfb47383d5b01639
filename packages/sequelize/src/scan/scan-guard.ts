import { ExecutionLimitError } from '@ormai/core';
import type { TableMeta } from '../introspect.js';
import type { ReadSession } from '../session.js';
import type { CompiledSql } from '../sql/compile-select.js';
import { estimateRowsScanned, type PgPlanNode } from './pg-explain-estimate.js';
import { estimateSqliteRowsRead, parseStat, type IndexStats } from './sqlite-plan-estimate.js';
import { TtlCache } from './ttl-cache.js';

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
  const sizes = new TtlCache<number>();
  return async (session, statement, meta, maxScanRows) => {
    const tableRows = await sizes.get(meta.table, async () => {
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

/** SQLite: bounded from the query plan's access paths and ANALYZE statistics (see sqlite-plan-estimate.ts). */
export function sqliteScanGuard(): ScanGuard {
  const sizes = new TtlCache<{ rows: number; stats: IndexStats }>();
  return async (session, statement, meta, maxScanRows) => {
    const { rows: tableRows, stats } = await sizes.get(meta.table, async () => {
      const [row] = await session.all(`SELECT count(*) AS "n" FROM ${meta.table}`, []);
      const statRows = await session.all('SELECT idx, stat FROM sqlite_stat1 WHERE tbl = $1', [meta.name]).catch(() => []);
      return { rows: Number(row?.n ?? 0), stats: Object.fromEntries(statRows.map((r) => [String(r.idx), parseStat(String(r.stat))])) };
    });
    if (tableRows <= maxScanRows) return;
    const steps = await session.all(`EXPLAIN QUERY PLAN ${statement.sql}`, statement.params);
    const estimated = estimateSqliteRowsRead(steps.map((s) => String(s.detail)), tableRows, stats);
    if (estimated > maxScanRows) throw new ExecutionLimitError('scan_budget_exceeded', meta.model, maxScanRows, estimated);
  };
}
