import type { ReadSession } from '../session.js';
import type { IndexShape } from './pg-explain-estimate.js';

// What the PostgreSQL catalog and ANALYZE say about a table's indexes and columns, for the scan estimate.

// The table's indexes, each with its key columns in order ('' for an expression).
const PG_INDEXES = `SELECT ic.relname AS "index", i.indisunique AS "unique",
  ARRAY(SELECT coalesce(a.attname::text, '') FROM generate_series(0, i.indnkeyatts - 1) AS k(n)
    LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.n] ORDER BY k.n) AS "columns"
  FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = to_regclass($1)`;

export async function loadIndexes(session: ReadSession, table: string): Promise<Record<string, IndexShape>> {
  const indexes: Record<string, IndexShape> = {};
  for (const row of await session.all(PG_INDEXES, [table])) {
    indexes[String(row.index)] = { unique: row.unique === true, columns: Array.isArray(row.columns) ? row.columns.map(String) : [] };
  }
  return indexes;
}

export interface PgColumnStats {
  column: string;
  nDistinct: number | null;
  nullFrac: number | null;
  maxFreq: number | null;
  mcvFreq: number;
  mcvCount: number;
}

// What ANALYZE found about each column of the table (no row for a column never analyzed).
const PG_COLUMN_STATS = `SELECT s.attname AS "column", s.n_distinct AS "nDistinct", s.null_frac AS "nullFrac",
  (SELECT max(f) FROM unnest(s.most_common_freqs) AS f) AS "maxFreq",
  (SELECT coalesce(sum(f), 0) FROM unnest(s.most_common_freqs) AS f) AS "mcvFreq",
  coalesce(array_length(s.most_common_freqs, 1), 0) AS "mcvCount"
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname AND NOT s.inherited
  WHERE c.oid = to_regclass($1)`;

const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));

export async function loadColumnStats(session: ReadSession, table: string): Promise<PgColumnStats[]> {
  return (await session.all(PG_COLUMN_STATS, [table])).map((row) => ({
    column: String(row.column),
    nDistinct: numberOrNull(row.nDistinct),
    nullFrac: numberOrNull(row.nullFrac),
    maxFreq: numberOrNull(row.maxFreq),
    mcvFreq: Number(row.mcvFreq ?? 0),
    mcvCount: Number(row.mcvCount ?? 0),
  }));
}

/**
 * Per column, the share of the table its most frequent value holds: the most common value's frequency,
 * or for values outside that list their average (ANALYZE lists any value notably more frequent than that).
 * Columns without statistics are left out: their searches are bounded by the table.
 */
export function maxShares(stats: PgColumnStats[], tableRows: number): Map<string, number> {
  const shares = new Map<string, number>();
  for (const { column, nDistinct, nullFrac, maxFreq, mcvFreq, mcvCount } of stats) {
    if (nDistinct === null || nDistinct === 0) continue;
    const distinct = nDistinct > 0 ? nDistinct : -nDistinct * tableRows;
    const others = (1 - (nullFrac ?? 0) - mcvFreq) / Math.max(1, distinct - mcvCount);
    shares.set(column, Math.max(maxFreq ?? 0, others));
  }
  return shares;
}
