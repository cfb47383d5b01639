import type { DialectCapabilities, FieldType } from '@ormai/core';
import { hstoreObject } from './hstore.js';

/** The per-dialect bits of SQL generation and value conversion. Everything else is shared. */
export interface SqlDialect {
  name: 'postgres' | 'sqlite';
  capabilities: DialectCapabilities;
  quote(identifier: string): string;
  /** Case-insensitive pattern match with `\` as escape character. */
  like(column: string, pattern: string): string;
  encode(type: FieldType, value: unknown): unknown;
  decode(type: FieldType, value: unknown): unknown;
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

const PG_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]00(?::?00)?)?$/;

/** ISO-8601 in UTC, keeping microseconds when the database has them (JavaScript dates stop at milliseconds). */
function isoTimestamp(value: unknown): string {
  if (typeof value === 'string') {
    const m = PG_TIMESTAMP.exec(value);
    if (m) {
      const fraction = m[3] ?? '';
      return `${m[1]}T${m[2]}.${fraction.padEnd(fraction.length > 3 ? 6 : 3, '0')}Z`;
    }
  }
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

const canonicalDecimal = (text: string) => text.replace(/^\+/, '').replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');

/** A decimal stays a string when a JavaScript number would change it. */
function decimal(text: string): number | string {
  const n = Number(text);
  return Number.isFinite(n) && canonicalDecimal(String(n)) === canonicalDecimal(text) ? n : text;
}

function decodeCommon(type: FieldType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
      if (typeof value === 'string') {
        const n = Number(value); // BIGINT arrives as a string; keep it one if it would lose precision
        return Number.isSafeInteger(n) ? n : value;
      }
      return value;
    case 'number':
      return typeof value === 'string' ? decimal(value) : value;
    case 'boolean':
      return typeof value === 'number' ? value !== 0 : value;
    case 'date':
      return isoTimestamp(value);
    case 'dateonly':
      return value instanceof Date ? value.toISOString().slice(0, 10) : value;
    case 'json':
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value);
      } catch {
        return hstoreObject(value) ?? value;
      }
    default:
      return typeof value === 'object' && !(value instanceof Date) && !Array.isArray(value) ? String(value) : value;
  }
}

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  capabilities: { scanEstimate: 'explain', statementTimeout: true, readOnlyTransactions: true, rowLevelSecurity: true },
  quote,
  like: (column, pattern) => `${column} ILIKE ${pattern} ESCAPE '\\'`,
  encode: (_type, value) => value,
  decode: decodeCommon,
};

/** Sequelize stores SQLite DATE values as 'YYYY-MM-DD HH:MM:SS.SSS +00:00' text; comparisons must use the same form. */
function sqliteDate(value: unknown): unknown {
  const date = new Date(String(value));
  if (Number.isNaN(date.getTime())) return value;
  return `${date.toISOString().replace('T', ' ').replace('Z', '')} +00:00`;
}

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  capabilities: { scanEstimate: 'query-plan', statementTimeout: false, readOnlyTransactions: false, rowLevelSecurity: false },
  quote,
  like: (column, pattern) => `${column} LIKE ${pattern} ESCAPE '\\'`,
  encode: (type, value) => {
    if (type === 'date') return sqliteDate(value);
    if (type === 'boolean' && typeof value === 'boolean') return value ? 1 : 0;
    return value;
  },
  decode: decodeCommon,
};
