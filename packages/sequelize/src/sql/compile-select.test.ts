import { describe, expect, it } from 'vitest';
import type { SelectNode } from '@ormai/core';
import type { TableMeta } from '../introspect.js';
import { compileAggregate, compileRootSelect } from './compile-select.js';
import { postgresDialect, sqliteDialect } from './dialect.js';

const meta: TableMeta = {
  model: 'Order',
  table: '"orders"',
  name: 'orders',
  columns: { id: 'id', tenantId: 'tenant_id', status: 'status', placedAt: 'placed_at' },
  types: { id: 'integer', tenantId: 'string', status: 'string', placedAt: 'date' },
  primaryKey: 'id',
};

const plan: SelectNode = {
  model: 'Order',
  fields: ['id', 'status'],
  filter: {
    kind: 'and',
    children: [
      { kind: 'cmp', field: 'tenantId', op: 'eq', value: "acme' OR '1'='1" },
      { kind: 'cmp', field: 'status', op: 'in', value: ['open', 'x"); DROP TABLE orders; --'] },
      { kind: 'cmp', field: 'placedAt', op: 'gte', value: '2026-01-01T00:00:00Z' },
    ],
  },
  orderBy: [{ field: 'id', direction: 'asc' }],
  limit: 21,
  includes: [],
};

describe('compileRootSelect', () => {
  it('emits identifiers from metadata and every value as a bound parameter', () => {
    const { sql, params } = compileRootSelect(postgresDialect, meta, plan);
    expect(sql).toBe(
      'SELECT t."id" AS "id", t."status" AS "status" FROM "orders" AS t WHERE (t."tenant_id" = $1 AND t."status" IN ($2, $3) AND t."placed_at" >= $4) ORDER BY t."id" ASC NULLS LAST LIMIT $5',
    );
    expect(params).toEqual(["acme' OR '1'='1", 'open', 'x"); DROP TABLE orders; --', '2026-01-01T00:00:00Z', 21]);
  });

  it('encodes values for SQLite storage formats', () => {
    const { sql, params } = compileRootSelect(sqliteDialect, meta, plan);
    expect(sql).toContain('t."placed_at" >= $4');
    expect(params[3]).toBe('2026-01-01 00:00:00.000 +00:00');
  });

  it('compiles grouped aggregates with a bounded number of groups', () => {
    const { sql, params } = compileAggregate(postgresDialect, meta, { model: 'Order', op: 'count', field: null, filter: { kind: 'and', children: [] }, groupBy: ['status'], limit: 51 });
    expect(sql).toBe(
      'SELECT t."status" AS "__ormai_g0", COUNT(*) AS "__ormai_value" FROM "orders" AS t WHERE 1=1 GROUP BY t."status" ORDER BY t."status" ASC NULLS LAST LIMIT $1',
    );
    expect(params).toEqual([51]);
  });
});
