import { table } from '../output.js';
import type { SavedQueryRow } from './saved-query.js';

const cell = (value: unknown): string | number =>
  value === null || value === undefined ? '' : typeof value === 'number' || typeof value === 'string' ? value : JSON.stringify(value);

/** Rows as a table with the first row's columns (`chain` left out: the config names it). */
export function formatRows(rows: readonly SavedQueryRow[]): string {
  if (rows.length === 0) return '(no rows)';
  const columns = Object.keys(rows[0]!).filter((c) => c !== 'chain');
  return `${table(columns, rows.map((row) => columns.map((c) => cell(row[c]))))}\n${rows.length} row${rows.length === 1 ? '' : 's'}`;
}
