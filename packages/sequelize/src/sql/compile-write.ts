import type { FilterNode, Row, Scalar } from '@ormai/core';
import type { TableMeta } from '../introspect.js';
import { column, compileFilter, SqlParams, type CompileScope } from './compile-filter.js';
import { selectList, type CompiledSql } from './compile-select.js';
import type { SqlDialect } from './dialect.js';

/**
 * UPDATE/DELETE of exactly the rows the guard saw: by primary key AND the caller's scope, since a key
 * the model declares may be unique only within a tenant. Values bound, columns from metadata.
 */
function rowsWhere(s: CompileScope, keys: Scalar[], scope: FilterNode) {
  const type = s.meta.types[s.meta.primaryKey]!;
  const keyList = keys.map((k) => s.params.add(s.dialect.encode(type, k))).join(', ');
  return `${column(s, s.meta.primaryKey)} IN (${keyList}) AND ${compileFilter(scope, s)}`;
}

const scopeOf = (dialect: SqlDialect, meta: TableMeta): CompileScope => ({ dialect, meta, alias: 't', params: new SqlParams() });

/**
 * PostgreSQL answers the changed rows, every attribute (RETURNING), so the write needs no reload: the scope
 * is the tenant, which no update changes, so they are the rows a reload would find.
 */
export function compileUpdate(dialect: SqlDialect, meta: TableMeta, values: Row, keys: Scalar[], scope: FilterNode, now: Date): CompiledSql & { returnsRows: boolean } {
  const s = scopeOf(dialect, meta);
  const assignments = Object.entries(values).map(([field, value]) => `${dialect.quote(meta.columns[field]!)} = ${s.params.add(dialect.encode(meta.types[field]!, value))}`);
  if (meta.updatedAt && !(meta.updatedAt in values)) {
    assignments.push(`${dialect.quote(meta.columns[meta.updatedAt]!)} = ${s.params.add(dialect.encode('date', now.toISOString()))}`);
  }
  const returnsRows = dialect.name === 'postgres';
  const returning = returnsRows ? ` RETURNING ${selectList(s, Object.keys(meta.columns))}` : '';
  const sql = `UPDATE ${meta.table} AS t SET ${assignments.join(', ')} WHERE ${rowsWhere(s, keys, scope)}${returning}`;
  return { sql, params: s.params.values, model: meta.model, returnsRows };
}

export function compileDelete(dialect: SqlDialect, meta: TableMeta, keys: Scalar[], scope: FilterNode): CompiledSql {
  const s = scopeOf(dialect, meta);
  return { sql: `DELETE FROM ${meta.table} AS t WHERE ${rowsWhere(s, keys, scope)}`, params: s.params.values, model: meta.model };
}
