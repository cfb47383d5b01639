import type { AggregatePlan, FilterNode, IncludeNode, OrderTerm, Scalar, SelectNode } from '@ormai/core';
import type { TableMeta } from '../introspect.js';
import { column, compileFilter, SqlParams, type CompileScope } from './compile-filter.js';
import type { SqlDialect } from './dialect.js';

export interface CompiledSql {
  sql: string;
  params: unknown[];
  model: string;
}

const ROW_NUMBER_ALIAS = '__ormai_rn';

/** What a node must fetch beyond its projected fields: the keys its includes join on. */
function fetchFields(node: SelectNode): string[] {
  const keys = node.includes.map((i) => i.relation.sourceKey);
  const own = 'relation' in node ? [(node as IncludeNode).relation.targetKey] : [];
  return [...new Set([...node.fields, ...keys, ...own])];
}

export const selectList = (scope: CompileScope, fields: string[]) =>
  fields.map((f) => `${column(scope, f)} AS ${scope.dialect.quote(f)}`).join(', ');

// Nulls placement is fixed so keyset pagination (core) and ORDER BY agree on every dialect.
const orderList = (scope: CompileScope, orderBy: OrderTerm[]) =>
  orderBy.map((t) => `${column(scope, t.field)} ${t.direction === 'asc' ? 'ASC NULLS LAST' : 'DESC NULLS FIRST'}`).join(', ');

function scope(dialect: SqlDialect, meta: TableMeta): CompileScope {
  return { dialect, meta, alias: 't', params: new SqlParams() };
}

export function compileRootSelect(dialect: SqlDialect, meta: TableMeta, node: SelectNode): CompiledSql {
  const s = scope(dialect, meta);
  const where = compileFilter(node.filter, s);
  const sql =
    `SELECT ${selectList(s, fetchFields(node))} FROM ${meta.table} AS t WHERE ${where}` +
    ` ORDER BY ${orderList(s, node.orderBy)} LIMIT ${s.params.add(node.limit)}`;
  return { sql, params: s.params.values, model: meta.model };
}

/**
 * Related rows for a batch of parents, capped per parent inside the query: ROW_NUMBER() partitioned by
 * the join key, so a parent with thousands of children still returns at most `limit` of them.
 */
export function compileIncludeSelect(dialect: SqlDialect, meta: TableMeta, node: IncludeNode, keys: Scalar[]): CompiledSql {
  const s = scope(dialect, meta);
  const joinKey = column(s, node.relation.targetKey);
  const type = meta.types[node.relation.targetKey]!;
  const keyList = keys.map((k) => s.params.add(dialect.encode(type, k))).join(', ');
  const where = `${joinKey} IN (${keyList}) AND ${compileFilter(node.filter, s)}`;
  const rn = dialect.quote(ROW_NUMBER_ALIAS);
  const sql =
    `SELECT * FROM (SELECT ${selectList(s, fetchFields(node))}, ROW_NUMBER() OVER (PARTITION BY ${joinKey} ORDER BY ${orderList(s, node.orderBy)}) AS ${rn}` +
    ` FROM ${meta.table} AS t WHERE ${where}) AS s WHERE s.${rn} <= ${s.params.add(node.limit)}` +
    ` ORDER BY s.${dialect.quote(node.relation.targetKey)}, s.${rn}`;
  return { sql, params: s.params.values, model: meta.model };
}

/** The rows a write targets, every attribute; locked (FOR UPDATE / FOR SHARE) where the dialect can. */
export function compileTargetSelect(dialect: SqlDialect, meta: TableMeta, filter: FilterNode, limit: number, lock: 'update' | 'share' | null): CompiledSql {
  const s = scope(dialect, meta);
  const where = compileFilter(filter, s);
  const locking = lock && dialect.name === 'postgres' ? ` FOR ${lock.toUpperCase()}` : '';
  const sql =
    `SELECT ${selectList(s, Object.keys(meta.columns))} FROM ${meta.table} AS t WHERE ${where}` +
    ` ORDER BY ${column(s, meta.primaryKey)} ASC LIMIT ${s.params.add(limit)}${locking}`;
  return { sql, params: s.params.values, model: meta.model };
}

export const GROUP_ALIAS = (i: number) => `__ormai_g${i}`;
export const VALUE_ALIAS = '__ormai_value';

export function compileAggregate(dialect: SqlDialect, meta: TableMeta, plan: AggregatePlan): CompiledSql {
  const s = scope(dialect, meta);
  const target = plan.field === null ? '*' : column(s, plan.field);
  const fn = plan.op.toUpperCase();
  const groups = plan.groupBy.map((g) => column(s, g));
  const where = compileFilter(plan.filter, s);
  const groupSelect = groups.map((g, i) => `${g} AS ${dialect.quote(GROUP_ALIAS(i))}, `).join('');
  let sql = `SELECT ${groupSelect}${fn}(${target}) AS ${dialect.quote(VALUE_ALIAS)} FROM ${meta.table} AS t WHERE ${where}`;
  if (groups.length) {
    const order = groups.map((g) => `${g} ASC NULLS LAST`).join(', ');
    sql += ` GROUP BY ${groups.join(', ')} ORDER BY ${order} LIMIT ${s.params.add(plan.limit)}`;
  }
  return { sql, params: s.params.values, model: meta.model };
}
