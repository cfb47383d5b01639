import type { Row, Scalar } from '@ormai/core';
import type { TableMeta } from '../introspect.js';
import { SqlParams } from './compile-filter.js';
import type { CompiledSql } from './compile-select.js';
import type { SqlDialect } from './dialect.js';

/** UPDATE/DELETE of exactly the rows the guard saw, by primary key; values bound, columns from metadata. */
function keyList(dialect: SqlDialect, meta: TableMeta, params: SqlParams, keys: Scalar[]) {
  const type = meta.types[meta.primaryKey]!;
  return `${dialect.quote(meta.columns[meta.primaryKey]!)} IN (${keys.map((k) => params.add(dialect.encode(type, k))).join(', ')})`;
}

export function compileUpdate(dialect: SqlDialect, meta: TableMeta, values: Row, keys: Scalar[], now: Date): CompiledSql {
  const params = new SqlParams();
  const assignments = Object.entries(values).map(([field, value]) => `${dialect.quote(meta.columns[field]!)} = ${params.add(dialect.encode(meta.types[field]!, value))}`);
  if (meta.updatedAt && !(meta.updatedAt in values)) {
    assignments.push(`${dialect.quote(meta.columns[meta.updatedAt]!)} = ${params.add(dialect.encode('date', now.toISOString()))}`);
  }
  const sql = `UPDATE ${meta.table} SET ${assignments.join(', ')} WHERE ${keyList(dialect, meta, params, keys)}`;
  return { sql, params: params.values, model: meta.model };
}

export function compileDelete(dialect: SqlDialect, meta: TableMeta, keys: Scalar[]): CompiledSql {
  const params = new SqlParams();
  return { sql: `DELETE FROM ${meta.table} WHERE ${keyList(dialect, meta, params, keys)}`, params: params.values, model: meta.model };
}
