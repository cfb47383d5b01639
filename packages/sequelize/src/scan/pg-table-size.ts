import type { ReadSession } from '../session.js';
import { largestPlanRows, type PgPlanNode } from './pg-explain-estimate.js';

// How many rows a PostgreSQL table holds for the scan estimate: what its statistics say, scaled to its pages now.

export interface PgTableStats {
  kind: string;
  reltuples: number;
  relpages: number;
  curpages: number;
  blockSize: number;
}

const PG_TABLE_STATS = `SELECT c.relkind AS "kind", c.reltuples AS "reltuples", c.relpages AS "relpages",
  pg_relation_size(c.oid) / current_setting('block_size')::int AS "curpages", current_setting('block_size')::int AS "blockSize"
  FROM pg_class c WHERE c.oid = to_regclass($1)`;

export async function loadTableStats(session: ReadSession, table: string): Promise<PgTableStats | undefined> {
  const [row] = await session.all(PG_TABLE_STATS, [table]);
  return row ? (Object.fromEntries(Object.entries(row).map(([k, v]) => [k, k === 'kind' ? String(v) : Number(v)])) as unknown as PgTableStats) : undefined;
}

/**
 * The planner's size estimate for a plain table, scaled to its current size the way the planner does;
 * null when the statistics cannot be trusted or it is not a table. Never analyzed, or analyzed with no
 * live rows in pages that exist (emptied): scaling 0 rows a page would call any reload empty.
 */
export function knownTableRows(stats: PgTableStats | undefined): number | null {
  if (!stats || (stats.kind !== 'r' && stats.kind !== 'm')) return null;
  if (stats.curpages === 0) return 0;
  if (stats.reltuples > 0 && stats.relpages > 0) return (stats.reltuples / stats.relpages) * stats.curpages;
  return null;
}

/** Whether the table has pages its statistics never saw: rows added since may be packed far denser than the ones counted. */
const grewSinceStatistics = (stats: PgTableStats | undefined) => stats !== undefined && stats.curpages > stats.relpages;

/**
 * A table the planner knows holds at most `maxScanRows` rows, and that has not grown since, cannot exceed
 * the budget whatever the plan: no estimate needed. A table that grew may hold many more rows than its statistics scale to.
 */
export function withinBudget(stats: PgTableStats | undefined, maxScanRows: number): boolean {
  const known = knownTableRows(stats);
  return known !== null && known <= maxScanRows && !grewSinceStatistics(stats);
}

/** Rows a page holds at the plan's row width (errs high). */
const rowsPerPage = (stats: PgTableStats, plan: PgPlanNode) => Math.max(1, Math.floor((stats.blockSize - 24) / ((plan['Plan Width'] ?? 0) + 28)));

/** Without trusted statistics: as many rows as fit the table's pages (errs high), or the plan's largest estimate. */
function rowsFromPages(stats: PgTableStats | undefined, plan: PgPlanNode): number {
  if (!stats || stats.curpages === 0) return largestPlanRows(plan);
  return Math.max(stats.curpages * rowsPerPage(stats, plan), largestPlanRows(plan));
}

/** The table's rows for the estimate: the scaled statistics, or when it grew since, the rows counted then plus full new pages if more. */
export function tableRowsNow(stats: PgTableStats | undefined, plan: PgPlanNode): number {
  const known = knownTableRows(stats);
  if (known === null) return rowsFromPages(stats, plan);
  if (!stats || !grewSinceStatistics(stats)) return known;
  return Math.max(known, stats.reltuples + (stats.curpages - stats.relpages) * rowsPerPage(stats, plan));
}
