import { ExecutionLimitError } from '@ormai/core';
import type { TableMeta } from '../introspect.js';
import type { ReadSession } from '../session.js';
import type { CompiledSql } from '../sql/compile-select.js';
import { estimateRowsScanned, type PgPlanNode } from './pg-explain-estimate.js';
import { estimateSqliteRowsRead, longestInList, parseStat, type IndexStats } from './sqlite-plan-estimate.js';
import { TtlCache } from './ttl-cache.js';

/** Throws `scan_budget_exceeded` before a statement runs when it would read more than `maxScanRows` rows. */
export type ScanGuard = (session: ReadSession, statement: CompiledSql, meta: TableMeta, maxScanRows: number) => Promise<void>;

interface PgTableStats {
  kind: string;
  reltuples: number;
  relpages: number;
  curpages: number;
  blockSize: number;
}

const PG_TABLE_STATS = `SELECT c.relkind AS "kind", c.reltuples AS "reltuples", c.relpages AS "relpages",
  pg_relation_size(c.oid) / current_setting('block_size')::int AS "curpages", current_setting('block_size')::int AS "blockSize"
  FROM pg_class c WHERE c.oid = to_regclass($1)`;

/**
 * The planner's size estimate for a plain table, scaled to its current size the way the planner does;
 * null when the statistics cannot be trusted (never analyzed, analyzed while empty) or it is not a table.
 */
function knownTableRows(stats: PgTableStats | undefined): number | null {
  if (!stats || (stats.kind !== 'r' && stats.kind !== 'm')) return null;
  if (stats.curpages === 0) return 0;
  if (stats.reltuples >= 0 && stats.relpages > 0) return (stats.reltuples / stats.relpages) * stats.curpages;
  return null;
}

/** Without trusted statistics: as many rows as fit the table's pages at the plan's row width (errs high), or the plan's largest estimate. */
function rowsFromPages(stats: PgTableStats | undefined, plan: PgPlanNode): number {
  const largest = (node: PgPlanNode): number => Math.max(node['Plan Rows'], ...(node.Plans ?? []).map(largest));
  if (!stats || stats.curpages === 0) return largest(plan);
  const perPage = Math.max(1, Math.floor((stats.blockSize - 24) / ((plan['Plan Width'] ?? 0) + 28)));
  return Math.max(stats.curpages * perPage, largest(plan));
}

/**
 * PostgreSQL: a statement on a table the planner knows holds at most `maxScanRows` rows cannot exceed
 * the budget and skips EXPLAIN (it costs a round trip); any other statement is estimated from its plan.
 */
export function pgScanGuard(): ScanGuard {
  const sizes = new TtlCache<PgTableStats | undefined>();
  // The same statement with the same values gets the same plan: agents repeat queries, EXPLAIN costs a round trip.
  const estimates = new TtlCache<number>(10_000);
  return async (session, statement, meta, maxScanRows) => {
    const stats = await sizes.get(meta.table, async () => {
      const [row] = await session.all(PG_TABLE_STATS, [meta.table]);
      return row ? (Object.fromEntries(Object.entries(row).map(([k, v]) => [k, k === 'kind' ? String(v) : Number(v)])) as unknown as PgTableStats) : undefined;
    });
    const known = knownTableRows(stats);
    if (known !== null && known <= maxScanRows) return;
    const estimated = await estimates.get(`${statement.sql}\u0000${JSON.stringify(statement.params)}`, async () => {
      const [row] = await session.all(`EXPLAIN (FORMAT JSON) ${statement.sql}`, statement.params);
      const plan = (row?.['QUERY PLAN'] as Array<{ Plan: PgPlanNode }> | undefined)?.[0]?.Plan;
      return plan ? estimateRowsScanned(plan, known ?? rowsFromPages(stats, plan)) : 0;
    });
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
    const estimated = estimateSqliteRowsRead(steps.map((s) => String(s.detail)), tableRows, stats, longestInList(statement.sql));
    if (estimated > maxScanRows) throw new ExecutionLimitError('scan_budget_exceeded', meta.model, maxScanRows, estimated);
  };
}
