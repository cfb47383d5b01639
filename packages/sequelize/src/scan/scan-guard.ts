import { ExecutionLimitError } from '@ormai/core';
import type { TableMeta } from '../introspect.js';
import type { ReadSession } from '../session.js';
import type { CompiledSql } from '../sql/compile-select.js';
import { sqliteDialect } from '../sql/dialect.js';
import { equalityKeys } from './in-list.js';
import { estimateRowsScanned, largestPlanRows, usesIndexCond, type IndexShape, type PgPlanNode } from './pg-explain-estimate.js';
import { loadColumnStats, loadIndexes, maxShares, type PgColumnStats } from './pg-statistics.js';
import { estimateSqliteRowsRead, indexSearches, prefixKey, type IndexSearch, type PrefixMaxima } from './sqlite-plan-estimate.js';
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
 * null when the statistics cannot be trusted or it is not a table. Never analyzed, or analyzed with no
 * live rows in pages that exist (emptied): scaling 0 rows a page would call any reload empty.
 */
function knownTableRows(stats: PgTableStats | undefined): number | null {
  if (!stats || (stats.kind !== 'r' && stats.kind !== 'm')) return null;
  if (stats.curpages === 0) return 0;
  if (stats.reltuples > 0 && stats.relpages > 0) return (stats.reltuples / stats.relpages) * stats.curpages;
  return null;
}

/** Whether the table has pages its statistics never saw: rows added since may be packed far denser than the ones counted. */
const grewSinceStatistics = (stats: PgTableStats | undefined) => stats !== undefined && stats.curpages > stats.relpages;

/** Rows a page holds at the plan's row width (errs high). */
const rowsPerPage = (stats: PgTableStats, plan: PgPlanNode) => Math.max(1, Math.floor((stats.blockSize - 24) / ((plan['Plan Width'] ?? 0) + 28)));

/** Without trusted statistics: as many rows as fit the table's pages (errs high), or the plan's largest estimate. */
function rowsFromPages(stats: PgTableStats | undefined, plan: PgPlanNode): number {
  if (!stats || stats.curpages === 0) return largestPlanRows(plan);
  return Math.max(stats.curpages * rowsPerPage(stats, plan), largestPlanRows(plan));
}

/** The table's rows for the estimate: the scaled statistics, or when it grew since, the rows counted then plus full new pages if more. */
function tableRowsNow(stats: PgTableStats | undefined, known: number | null, plan: PgPlanNode): number {
  if (known === null) return rowsFromPages(stats, plan);
  if (!stats || !grewSinceStatistics(stats)) return known;
  return Math.max(known, stats.reltuples + (stats.curpages - stats.relpages) * rowsPerPage(stats, plan));
}

/** The statement's LIMIT value, when it ends in `LIMIT $n` (every compiled LIMIT is a bound parameter). */
function statementLimit({ sql, params }: CompiledSql): number | undefined {
  const index = /\bLIMIT \$(\d+)(?:\s+FOR \w+)?$/.exec(sql)?.[1];
  const value = index === undefined ? undefined : params[Number(index) - 1];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

const PROBE = 'ormai_scan_probe';

const planOf = (row: Record<string, unknown> | undefined) => (row?.['QUERY PLAN'] as Array<{ Plan: PgPlanNode }> | undefined)?.[0]?.Plan;

/** The plan PostgreSQL picks for the statement with these values (a custom plan): what a session without generic plans runs. */
async function valuesPlan(session: ReadSession, { sql, params }: CompiledSql): Promise<PgPlanNode | undefined> {
  return planOf((await session.all(`EXPLAIN (FORMAT JSON) ${sql}`, params))[0]);
}

/**
 * The statement text's generic plan, the one a generic-plan session runs for any values: prepared, explained
 * with NULL arguments (a generic plan never looks at them) and deallocated, in one round trip.
 */
async function genericPlan(session: ReadSession, { sql, params }: CompiledSql): Promise<PgPlanNode | undefined> {
  const args = params.length ? `(${params.map(() => 'NULL').join(', ')})` : '';
  try {
    return planOf((await session.all(`PREPARE ${PROBE} AS ${sql}; EXPLAIN (FORMAT JSON) EXECUTE ${PROBE}${args}; DEALLOCATE ${PROBE}`, []))[0]);
  } catch (error) {
    // PREPARE is not undone when the EXPLAIN after it fails: free the name for the next probe.
    await session.all(`DEALLOCATE ${PROBE}`, []).catch(() => undefined);
    throw error;
  }
}

/**
 * PostgreSQL: a statement on a table the planner knows holds at most `maxScanRows` rows, and that has not
 * grown since, cannot exceed the budget and skips EXPLAIN (it costs a round trip); any other statement is estimated from its plan.
 *
 * On OrmAI's read pool every parameterized statement runs its generic plan (`plan_cache_mode =
 * force_generic_plan`): one plan per statement text, whatever the values. That plan is probed once per
 * text and kept 10 s, so new values cost no round trip; the estimate from it never depended on the values
 * (see pg-explain-estimate.ts), only the statement's own LIMIT is read per call. Elsewhere (a write's
 * transaction on the application's pool) the plan depends on the values: each statement and values are
 * explained, kept 10 s for repeats. Partitioned tables and views always take that path.
 */
export function pgScanGuard(): ScanGuard {
  const sizes = new TtlCache<PgTableStats | undefined>();
  const indexes = new TtlCache<Record<string, IndexShape>>();
  const columnStats = new TtlCache<PgColumnStats[]>();
  const genericPlans = new TtlCache<PgPlanNode | undefined>(10_000);
  const estimates = new TtlCache<number>(10_000);

  const estimate = async (session: ReadSession, plan: PgPlanNode | undefined, statement: CompiledSql, meta: TableMeta, stats: PgTableStats | undefined, known: number | null) => {
    if (!plan) return Number.POSITIVE_INFINITY; // a plan we cannot read is not evidence of a small scan
    const tableRows = tableRowsNow(stats, known, plan);
    const indexed = usesIndexCond(plan);
    return estimateRowsScanned(plan, {
      tableRows,
      indexes: indexed ? await indexes.get(meta.table, () => loadIndexes(session, meta.table)) : {},
      // Only statistics the planner trusts for this size: a table never analyzed has none, and is bounded by itself.
      maxShares: indexed && known !== null ? maxShares(await columnStats.get(meta.table, () => loadColumnStats(session, meta.table)), tableRows) : new Map(),
      keys: equalityKeys(statement.sql),
      limit: statementLimit(statement),
    });
  };

  return async (session, statement, meta, maxScanRows) => {
    const stats = await sizes.get(meta.table, async () => {
      const [row] = await session.all(PG_TABLE_STATS, [meta.table]);
      return row ? (Object.fromEntries(Object.entries(row).map(([k, v]) => [k, k === 'kind' ? String(v) : Number(v)])) as unknown as PgTableStats) : undefined;
    });
    const known = knownTableRows(stats);
    // A table that grew since its statistics may hold many more rows than they scale to: its plan is read.
    if (known !== null && known <= maxScanRows && !grewSinceStatistics(stats)) return;
    const estimated =
      session.genericPlans && stats?.kind === 'r'
        ? await estimate(session, await genericPlans.get(statement.sql, () => genericPlan(session, statement)), statement, meta, stats, known)
        : await estimates.get(`${statement.sql}\u0000${JSON.stringify(statement.params)}`, async () =>
            estimate(session, await valuesPlan(session, statement), statement, meta, stats, known),
          );
    if (estimated > maxScanRows) throw new ExecutionLimitError('scan_budget_exceeded', meta.model, maxScanRows, estimated);
  };
}

/**
 * The most rows sharing one value of an index's first `equalities` columns, counted (one pass over the
 * index); undefined when they are not all columns of the model.
 */
async function largestPrefixGroup(session: ReadSession, meta: TableMeta, names: string[], { equalities }: IndexSearch): Promise<number | undefined> {
  const columns = new Set(Object.values(meta.columns));
  const prefix = names.slice(0, equalities);
  if (prefix.length < equalities || !prefix.every((name) => columns.has(name))) return undefined;
  const groups = `SELECT count(*) AS n FROM ${meta.table} GROUP BY ${prefix.map(sqliteDialect.quote).join(', ')}`;
  const [row] = await session.all(`SELECT max(n) AS "n" FROM (${groups})`, []);
  return Number(row?.n ?? 0);
}

/**
 * SQLite: bounded from the query plan's access paths (see sqlite-plan-estimate.ts). Table sizes, index
 * columns and the largest group per index prefix are cached briefly; tables within the budget skip the plan.
 */
export function sqliteScanGuard(): ScanGuard {
  const sizes = new TtlCache<number>();
  const columnsOf = new TtlCache<string[]>();
  const groups = new TtlCache<number | undefined>();
  return async (session, statement, meta, maxScanRows) => {
    const tableRows = await sizes.get(meta.table, async () => Number((await session.all(`SELECT count(*) AS "n" FROM ${meta.table}`, []))[0]?.n ?? 0));
    if (tableRows <= maxScanRows) return;
    const steps = (await session.all(`EXPLAIN QUERY PLAN ${statement.sql}`, statement.params)).map((s) => String(s.detail));
    const maxima: PrefixMaxima = {};
    const indexColumns: Record<string, string[]> = {};
    for (const search of indexSearches(steps)) {
      const names = await columnsOf.get(`${meta.table}\u0000${search.index}`, async () =>
        (await session.all('SELECT name FROM pragma_index_info($1) ORDER BY seqno', [search.index])).map((r) => (typeof r.name === 'string' ? r.name : '')),
      );
      indexColumns[search.index] = names;
      maxima[prefixKey(search)] = await groups.get(`${meta.table}\u0000${prefixKey(search)}`, () => largestPrefixGroup(session, meta, names, search));
    }
    const estimated = estimateSqliteRowsRead(steps, { tableRows, maxima, indexColumns, keys: equalityKeys(statement.sql) });
    if (estimated > maxScanRows) throw new ExecutionLimitError('scan_budget_exceeded', meta.model, maxScanRows, estimated);
  };
}
