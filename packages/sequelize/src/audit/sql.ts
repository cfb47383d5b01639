import { QueryTypes, type Transaction } from 'sequelize';
import type { AuditStore } from './tables.js';

/** Every value goes through `bind` (driver parameters), never into the SQL text. */
export async function selectRows<T>(store: AuditStore, sql: string, bind: unknown[], transaction?: Transaction): Promise<T[]> {
  return (await store.sequelize.query(sql, { bind, type: QueryTypes.SELECT, ...(transaction ? { transaction } : {}) })) as T[];
}

export async function execute(store: AuditStore, sql: string, bind: unknown[], transaction?: Transaction): Promise<void> {
  await store.sequelize.query(sql, { bind, ...(transaction ? { transaction } : {}) });
}

/** `($1, $2), ($3, $4)`: placeholders for `rows` tuples of `width` values, numbered from `first`. */
export function placeholders(rows: number, width: number, first = 1): string {
  const tuples: string[] = [];
  for (let row = 0; row < rows; row++) {
    const start = first + row * width;
    tuples.push(`(${Array.from({ length: width }, (_, i) => `$${start + i}`).join(', ')})`);
  }
  return tuples.join(', ');
}

/** `$3, $4, $5`: an IN list of `count` placeholders numbered from `first`. */
export const inList = (count: number, first = 1): string => Array.from({ length: count }, (_, i) => `$${first + i}`).join(', ');

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** PostgreSQL returns BIGINT as a string. */
export const toNumber = (value: unknown): number => Number(value);
export const toNullableNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
