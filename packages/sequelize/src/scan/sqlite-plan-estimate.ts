/**
 * SQLite's EXPLAIN QUERY PLAN has no row counts, so rows read are bounded from the plan's access paths:
 * - `SCAN t` reads the table (or a whole index): all rows.
 * - `SEARCH t USING ... PRIMARY KEY (rowid=?)` reads one row per key; a key range reads the table.
 * - `SEARCH t USING INDEX ix (a=? AND b=?)` reads the rows per key prefix that `sqlite_stat1` records
 *   after ANALYZE, per key; without statistics, or on a range, the table.
 * An `IN (...)` list is searched once per value, so equality searches count once per listed key.
 * Errs on the side of refusing.
 */
export interface IndexStats {
  /** Index name -> average rows per distinct key prefix (1 column, 2 columns, ...). */
  [index: string]: number[];
}

function rowsForStep(detail: string, tableRows: number, stats: IndexStats, keys: number): number {
  if (/^SCAN t\b/.test(detail)) return tableRows;
  if (!/^SEARCH t\b/.test(detail)) return 0;
  const constraint = /\((.*)\)\s*$/.exec(detail)?.[1] ?? '';
  const equalities = (constraint.match(/=\?/g) ?? []).length;
  const ranged = /[<>]/.test(constraint);
  if (/USING (INTEGER )?PRIMARY KEY/.test(detail)) return ranged || equalities === 0 ? tableRows : keys;
  const index = /USING (?:COVERING )?INDEX (\S+)/.exec(detail)?.[1];
  const perPrefix = index ? stats[index] : undefined;
  if (!perPrefix || equalities === 0) return tableRows;
  return Math.min(tableRows, keys * (perPrefix[Math.min(equalities, perPrefix.length) - 1] ?? tableRows));
}

export function estimateSqliteRowsRead(details: string[], tableRows: number, stats: IndexStats, keys = 1): number {
  return details.reduce((total, detail) => total + rowsForStep(detail, tableRows, stats, keys), 0);
}

/** The longest `IN (...)` list of a compiled statement: how many times an equality search may run. */
export function longestInList(sql: string): number {
  return Math.max(1, ...[...sql.matchAll(/\bIN \(([^()]*)\)/g)].map((m) => m[1]!.split(',').length));
}

/** Parses `sqlite_stat1.stat` ("total avg1 avg2 ...") into per-prefix averages. */
export function parseStat(stat: string): number[] {
  return stat.split(' ').slice(1).map(Number).filter((n) => Number.isFinite(n));
}
