import type { FilterNode, Scalar } from '@ormai/core';
import type { TableMeta } from '../introspect.js';
import type { SqlDialect } from './dialect.js';

/** Collects bound values and hands out their `$n` placeholders (both pg and sqlite3 take them); SQL text never contains a value. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export interface CompileScope {
  dialect: SqlDialect;
  meta: TableMeta;
  alias: string;
  params: SqlParams;
}

export const column = (scope: CompileScope, field: string): string => {
  const name = scope.meta.columns[field];
  if (name === undefined) throw new Error(`unknown field ${scope.meta.model}.${field}`); // plans are validated; this is a bug guard
  return `${scope.alias}.${scope.dialect.quote(name)}`;
};

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

const COMPARE = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

export function compileFilter(node: FilterNode, scope: CompileScope): string {
  switch (node.kind) {
    case 'and':
      return node.children.length ? `(${node.children.map((c) => compileFilter(c, scope)).join(' AND ')})` : '1=1';
    case 'or':
      return node.children.length ? `(${node.children.map((c) => compileFilter(c, scope)).join(' OR ')})` : '1=0';
    case 'not':
      return `NOT (${compileFilter(node.child, scope)})`;
    case 'cmp': {
      const col = column(scope, node.field);
      const type = scope.meta.types[node.field]!;
      const bind = (v: Scalar) => scope.params.add(scope.dialect.encode(type, v));
      const value = node.value;
      switch (node.op) {
        case 'eq':
        case 'ne':
        case 'gt':
        case 'gte':
        case 'lt':
        case 'lte':
          return `${col} ${COMPARE[node.op]} ${bind(value as Scalar)}`;
        case 'in':
        case 'not_in':
          return `${col} ${node.op === 'in' ? 'IN' : 'NOT IN'} (${(value as Scalar[]).map(bind).join(', ')})`;
        case 'between': {
          const [low, high] = value as Scalar[];
          return `${col} BETWEEN ${bind(low!)} AND ${bind(high!)}`;
        }
        case 'is_null':
          return `${col} IS ${value ? '' : 'NOT '}NULL`;
        case 'contains':
          return scope.dialect.like(col, scope.params.add(`%${escapeLike(String(value))}%`));
        case 'starts_with':
          return scope.dialect.like(col, scope.params.add(`${escapeLike(String(value))}%`));
        case 'ends_with':
          return scope.dialect.like(col, scope.params.add(`%${escapeLike(String(value))}`));
      }
    }
  }
}
