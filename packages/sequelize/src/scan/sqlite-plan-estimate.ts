import { searchesFor } from './in-list.js';

/**
 * SQLite's EXPLAIN QUERY PLAN has no row counts, so rows read are bounded from the plan's access paths:
 * - `SCAN t` reads the table (or a whole index): all rows.
 * - `SEARCH t USING INTEGER PRIMARY KEY (rowid=?)` reads one row per key; a key range reads the table.
 * - `SEARCH t USING PRIMARY KEY (a=?)`, on a WITHOUT ROWID table, walks the primary key like an index:
 *   a prefix of a composite key is a range of rows, bounded like the index search below.
 * - `SEARCH t USING INDEX ix (a=? AND b>?)` reads at most the rows of the largest group sharing one
 *   value of the equality prefix (`a`), per key. Not `sqlite_stat1`'s average per prefix: with one big
 *   tenant among small ones (or one status holding most rows) the average is far below what a search
 *   for that one value reads. Without equalities, the table.
 * An `IN (...)` list is searched once per value, so equality searches count once per listed key; with
 * lists on several columns of the equality prefix, once per combination (the product of their lengths).
 * Errs on the side of refusing.
 */
export interface IndexSearch {
  /** The index searched; null: the primary key of a WITHOUT ROWID table (the table's own b-tree). */
  index: string | null;
  /** How many leading columns of the index the search pins by equality. */
  equalities: number;
}

/** Most rows sharing one value of an index's equality prefix, by `prefixKey`; missing when unknown. */
export type PrefixMaxima = Record<string, number | undefined>;

export interface SqliteEstimateContext {
  tableRows: number;
  maxima: PrefixMaxima;
  /** Column names of the searched indexes, in index order; missing when unknown. */
  indexColumns: Record<string, string[] | undefined>;
  /** How many values each column is searched for by equality (see `equalityKeys`). */
  keys: Map<string, number>;
}

/** How `indexColumns` names a search's index (the primary key by a name no index can have: it starts with a NUL). */
export const indexName = ({ index }: Pick<IndexSearch, 'index'>) => index ?? '\u0000primary key';

export const prefixKey = (search: IndexSearch) => `${indexName(search)}/${search.equalities}`;

type Step = { kind: 'scan' } | { kind: 'primary-key'; bounded: boolean } | ({ kind: 'index' } & IndexSearch) | null;

function parseStep(detail: string): Step {
  if (/^SCAN t\b/.test(detail)) return { kind: 'scan' };
  if (!/^SEARCH t\b/.test(detail)) return null;
  const constraint = /\((.*)\)\s*$/.exec(detail)?.[1] ?? '';
  const equalities = (constraint.match(/=\?/g) ?? []).length;
  if (/USING INTEGER PRIMARY KEY/.test(detail)) return { kind: 'primary-key', bounded: equalities > 0 && !/[<>]/.test(constraint) };
  if (/USING PRIMARY KEY/.test(detail)) return equalities > 0 ? { kind: 'index', index: null, equalities } : { kind: 'scan' };
  const index = /USING (?:COVERING )?INDEX (\S+)/.exec(detail)?.[1];
  return index && equalities > 0 ? { kind: 'index', index, equalities } : { kind: 'scan' };
}

/** The index searches whose worst case per key the estimate needs. */
export function indexSearches(details: string[]): IndexSearch[] {
  return details.map(parseStep).flatMap((step) => (step?.kind === 'index' ? [{ index: step.index, equalities: step.equalities }] : []));
}

function rowsForStep(step: Step, { tableRows, maxima, indexColumns, keys }: SqliteEstimateContext): number {
  switch (step?.kind) {
    case 'scan':
      return tableRows;
    case 'primary-key':
      return step.bounded ? Math.min(tableRows, Math.max(1, ...keys.values())) : tableRows;
    case 'index': {
      const searches = searchesFor(keys, indexColumns[indexName(step)]?.slice(0, step.equalities));
      return Math.min(tableRows, searches * (maxima[prefixKey(step)] ?? tableRows));
    }
    default:
      return 0;
  }
}

export function estimateSqliteRowsRead(details: string[], ctx: SqliteEstimateContext): number {
  return details.reduce((total, detail) => total + rowsForStep(parseStep(detail), ctx), 0);
}
