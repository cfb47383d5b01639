import { ExecutionLimitError } from '@ormai/core';
import type { TableMeta } from '../introspect.js';
import type { ReadSession } from '../session.js';
import type { CompiledSql } from '../sql/compile-select.js';
import { sqliteDialect } from '../sql/dialect.js';
import { longestInList } from './in-list.js';
import { estimateRowsScanned, filteredIndexScans, type IndexLead, type PgPlanNode } from './pg-explain-estimate.js';
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

interface PgLeadStats {
  column: string;
  unique: boolean;
  nDistinct: number | null;
  nullFrac: number | null;
  maxFreq: number | null;
  mcvFreq: number;
  mcvCount: number;
}

// The leading column of one index of the table, and what ANALYZE found about it (nothing if never analyzed).
const PG_INDEX_LEAD = `SELECT a.attname AS "column", (i.indisunique AND i.indnkeyatts = 1) AS "unique",
  s.n_distinct AS "nDistinct", s.null_frac AS "nullFrac",
  (SELECT max(f) FROM unnest(s.most_common_freqs) AS f) AS "maxFreq",
  (SELECT coalesce(sum(f), 0) FROM unnest(s.most_common_freqs) AS f) AS "mcvFreq",
  coalesce(array_length(s.most_common_freqs, 1), 0) AS "mcvCount"
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_class tc ON tc.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = tc.relnamespace
  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
  LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = tc.relname AND s.attname = a.attname AND NOT s.inherited
  WHERE i.indrelid = to_regclass($1) AND ic.relname = $2`;

const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));

async function loadIndexLead(session: ReadSession, table: string, index: string): Promise<PgLeadStats | undefined> {
  const [row] = await session.all(PG_INDEX_LEAD, [table, index]);
  if (!row) return undefined;
  return {
    column: String(row.column),
    unique: row.unique === true,
    nDistinct: numberOrNull(row.nDistinct),
    nullFrac: numberOrNull(row.nullFrac),
    maxFreq: numberOrNull(row.maxFreq),
    mcvFreq: Number(row.mcvFreq ?? 0),
    mcvCount: Number(row.mcvCount ?? 0),
  };
}

/**
 * The share of the table its most frequent leading value holds: the most common value's frequency, or
 * for values outside that list their average (ANALYZE lists any value notably more frequent than that).
 */
function indexLead(stats: PgLeadStats | undefined, tableRows: number): IndexLead | undefined {
  if (!stats) return undefined;
  const { column, unique, nDistinct, nullFrac, maxFreq, mcvFreq, mcvCount } = stats;
  if (nDistinct === null || nDistinct === 0) return { column, unique, maxShare: null };
  const distinct = nDistinct > 0 ? nDistinct : -nDistinct * tableRows;
  const others = (1 - (nullFrac ?? 0) - mcvFreq) / Math.max(1, distinct - mcvCount);
  return { column, unique, maxShare: Math.max(maxFreq ?? 0, others) };
}

/**
 * PostgreSQL: a statement on a table the planner knows holds at most `maxScanRows` rows cannot exceed
 * the budget and skips EXPLAIN (it costs a round trip); any other statement is estimated from its plan.
 */
export function pgScanGuard(): ScanGuard {
  const sizes = new TtlCache<PgTableStats | undefined>();
  const leads = new TtlCache<PgLeadStats | undefined>();
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
      if (!plan) return Number.POSITIVE_INFINITY; // a plan we cannot read is not evidence of a small scan
      const tableRows = known ?? rowsFromPages(stats, plan);
      const indexes: Record<string, IndexLead | undefined> = {};
      for (const index of filteredIndexScans(plan)) {
        indexes[index] = indexLead(await leads.get(`${meta.table}\u0000${index}`, () => loadIndexLead(session, meta.table, index)), tableRows);
      }
      return estimateRowsScanned(plan, { tableRows, keys: longestInList(statement.sql), indexes });
    });
    if (estimated > maxScanRows) throw new ExecutionLimitError('scan_budget_exceeded', meta.model, maxScanRows, estimated);
  };
}

/**
 * The most rows sharing one value of an index's first `equalities` columns, counted (one pass over the
 * index); undefined when they are not all columns of the model.
 */
async function largestPrefixGroup(session: ReadSession, meta: TableMeta, { index, equalities }: IndexSearch): Promise<number | undefined> {
  const names = (await session.all('SELECT name FROM pragma_index_info($1) ORDER BY seqno', [index])).map((r) => r.name);
  const columns = new Set(Object.values(meta.columns));
  const prefix = names.slice(0, equalities);
  if (prefix.length < equalities || !prefix.every((name): name is string => typeof name === 'string' && columns.has(name))) return undefined;
  const groups = `SELECT count(*) AS n FROM ${meta.table} GROUP BY ${prefix.map(sqliteDialect.quote).join(', ')}`;
  const [row] = await session.all(`SELECT max(n) AS "n" FROM (${groups})`, []);
  return Number(row?.n ?? 0);
}

/**
 * SQLite: bounded from the query plan's access paths (see sqlite-plan-estimate.ts). Table sizes and the
 * largest group per index prefix are cached briefly; tables within the budget skip the plan.
 */
export function sqliteScanGuard(): ScanGuard {
  const sizes = new TtlCache<number>();
  const groups = new TtlCache<number | undefined>();
  return async (session, statement, meta, maxScanRows) => {
    const tableRows = await sizes.get(meta.table, async () => Number((await session.all(`SELECT count(*) AS "n" FROM ${meta.table}`, []))[0]?.n ?? 0));
    if (tableRows <= maxScanRows) return;
    const steps = (await session.all(`EXPLAIN QUERY PLAN ${statement.sql}`, statement.params)).map((s) => String(s.detail));
    const maxima: PrefixMaxima = {};
    for (const search of indexSearches(steps)) {
      maxima[prefixKey(search)] = await groups.get(`${meta.table}\u0000${prefixKey(search)}`, () => largestPrefixGroup(session, meta, search));
    }
    const estimated = estimateSqliteRowsRead(steps, tableRows, maxima, longestInList(statement.sql));
    if (estimated > maxScanRows) throw new ExecutionLimitError('scan_budget_exceeded', meta.model, maxScanRows, estimated);
  };
}
