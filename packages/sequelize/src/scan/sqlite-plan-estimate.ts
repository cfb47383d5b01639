/**
 * SQLite's EXPLAIN QUERY PLAN has no row counts, so rows read are bounded from the plan's access paths:
 * - `SCAN t` reads the table (or a whole index): all rows.
 * - `SEARCH t USING INDEX ix (a=? AND b=?)` reads the rows per key prefix that `sqlite_stat1` records
 *   after ANALYZE; without statistics it counts the whole table. Errs on the side of refusing.
 * - `SEARCH t USING INTEGER PRIMARY KEY / PRIMARY KEY` reads one row per key.
 */
export interface IndexStats {
  /** Index name -> average rows per distinct key prefix (1 column, 2 columns, ...). */
  [index: string]: number[];
}

function rowsForStep(detail: string, tableRows: number, stats: IndexStats): number {
  if (/^SCAN t\b/.test(detail)) return tableRows;
  if (!/^SEARCH t\b/.test(detail)) return 0;
  if (/USING (INTEGER )?PRIMARY KEY/.test(detail)) return 1;
  const match = /USING (?:COVERING )?INDEX (\S+) \((.*)\)/.exec(detail);
  const perPrefix = match ? stats[match[1]!] : undefined;
  const equalities = match ? (match[2]!.match(/=\?/g) ?? []).length : 0;
  if (!perPrefix || equalities === 0) return tableRows;
  return perPrefix[Math.min(equalities, perPrefix.length) - 1] ?? tableRows;
}

export function estimateSqliteRowsRead(details: string[], tableRows: number, stats: IndexStats): number {
  return details.reduce((total, detail) => total + rowsForStep(detail, tableRows, stats), 0);
}

/** Parses `sqlite_stat1.stat` ("total avg1 avg2 ...") into per-prefix averages. */
export function parseStat(stat: string): number[] {
  return stat.split(' ').slice(1).map(Number).filter((n) => Number.isFinite(n));
}
