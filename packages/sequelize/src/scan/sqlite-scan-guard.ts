import { ExecutionLimitError } from '@ormai/core';
import type { TableMeta } from '../introspect.js';
import type { ReadSession } from '../session.js';
import { sqliteDialect } from '../sql/dialect.js';
import { equalityKeys } from './in-list.js';
import type { ScanGuard } from './scan-guard.js';
import { estimateSqliteRowsRead, indexName, indexSearches, prefixKey, type IndexSearch, type PrefixMaxima } from './sqlite-plan-estimate.js';
import { TtlCache } from './ttl-cache.js';

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

/** The searched index's key columns in order ('' for an expression); a WITHOUT ROWID table's primary key columns. */
async function keyColumns(session: ReadSession, meta: TableMeta, { index }: IndexSearch): Promise<string[]> {
  const rows =
    index === null
      ? await session.all('SELECT name FROM pragma_table_info($1) WHERE pk > 0 ORDER BY pk', [meta.name])
      : await session.all('SELECT name FROM pragma_index_info($1) ORDER BY seqno', [index]);
  return rows.map((r) => (typeof r.name === 'string' ? r.name : ''));
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
      const names = await columnsOf.get(`${meta.table}\u0000${indexName(search)}`, () => keyColumns(session, meta, search));
      indexColumns[indexName(search)] = names;
      maxima[prefixKey(search)] = await groups.get(`${meta.table}\u0000${prefixKey(search)}`, () => largestPrefixGroup(session, meta, names, search));
    }
    const estimated = estimateSqliteRowsRead(steps, { tableRows, maxima, indexColumns, keys: equalityKeys(statement.sql) });
    if (estimated > maxScanRows) throw new ExecutionLimitError('scan_budget_exceeded', meta.model, maxScanRows, estimated);
  };
}
