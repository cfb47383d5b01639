import { describe, expect, it } from 'vitest';
import { equalityKeys, searchesFor } from './in-list.js';
import { estimateSqliteRowsRead, indexName, indexSearches, prefixKey, type PrefixMaxima } from './sqlite-plan-estimate.js';

const indexColumns = {
  ix_kind: ['kind'],
  tickets_tenant_id_status: ['tenant_id', 'status'],
  events_tenant_status_customer: ['tenant_id', 'status', 'customer_id'],
};
const ctx = (tableRows: number, maxima: PrefixMaxima = {}, sql = 'WHERE t."tenant_id" = $1') => ({ tableRows, maxima, indexColumns, keys: equalityKeys(sql) });

describe('estimateSqliteRowsRead', () => {
  it('counts a SCAN as the whole table and a primary-key SEARCH as one row', () => {
    expect(estimateSqliteRowsRead(['SCAN t', 'USE TEMP B-TREE FOR ORDER BY'], ctx(50_000))).toBe(50_000);
    expect(estimateSqliteRowsRead(['SEARCH t USING INTEGER PRIMARY KEY (rowid=?)'], ctx(50_000))).toBe(1);
  });

  it('counts primary-key ranges as the table and IN lists once per key', () => {
    expect(estimateSqliteRowsRead(['SEARCH t USING INTEGER PRIMARY KEY (rowid>?)'], ctx(50_000))).toBe(50_000);
    const forty = Array.from({ length: 40 }, (_, i) => `$${i + 2}`).join(', ');
    expect(estimateSqliteRowsRead(['SEARCH t USING INTEGER PRIMARY KEY (rowid=?)'], ctx(50_000, {}, `t."tenant_id" = $1 AND t."id" IN (${forty})`))).toBe(40);
    const hundredKinds = `t."kind" IN (${Array.from({ length: 100 }, (_, i) => `$${i + 1}`).join(', ')})`;
    expect(estimateSqliteRowsRead(['SEARCH t USING INDEX ix_kind (kind=?)'], ctx(50_000, { 'ix_kind/1': 250 }, hundredKinds))).toBe(25_000);
    expect(estimateSqliteRowsRead(['SEARCH t USING INDEX ix_kind (kind>?)'], ctx(50_000, { 'ix_kind/1': 250 }))).toBe(50_000);
  });

  it('multiplies IN lists on several columns of the equality prefix: every combination is one search', () => {
    const list = (column: string, first: number) => `t."${column}" IN (${Array.from({ length: 100 }, (_, i) => `$${first + i}`).join(', ')})`;
    const sql = `t."tenant_id" = $1 AND ${list('status', 2)} AND ${list('customer_id', 102)}`;
    const plan = ['SEARCH t USING INDEX events_tenant_status_customer (tenant_id=? AND status=? AND customer_id=?)'];
    expect(estimateSqliteRowsRead(plan, ctx(60_000, { 'events_tenant_status_customer/3': 5 }, sql))).toBe(50_000);
    // An index whose columns are unknown: every list of the statement multiplied, capped at the table.
    expect(estimateSqliteRowsRead(['SEARCH t USING INDEX other (tenant_id=? AND status=? AND customer_id=?)'], ctx(60_000, { 'other/3': 5 }, sql))).toBe(50_000);
    expect(searchesFor(equalityKeys(sql), undefined)).toBe(10_000);
  });

  it('bounds an index search by the largest group sharing its equality prefix, and by the table when unknown', () => {
    // One tenant holds 150,000 of 153,000 rows: a search for any one tenant may read 150,000.
    const maxima = { 'tickets_tenant_id_status/1': 150_000, 'tickets_tenant_id_status/2': 135_000 };
    expect(estimateSqliteRowsRead(['SEARCH t USING INDEX tickets_tenant_id_status (tenant_id=?)'], ctx(153_000, maxima))).toBe(150_000);
    expect(estimateSqliteRowsRead(['SEARCH t USING COVERING INDEX tickets_tenant_id_status (tenant_id=? AND status=?)'], ctx(153_000, maxima))).toBe(135_000);
    // A range after the equalities narrows within the prefix: still bounded by it.
    expect(estimateSqliteRowsRead(['SEARCH t USING INDEX tickets_tenant_id_status (tenant_id=? AND status>?)'], ctx(153_000, maxima))).toBe(150_000);
    expect(estimateSqliteRowsRead(['SEARCH t USING INDEX other (tenant_id=?)'], ctx(153_000, maxima))).toBe(153_000);
  });

  it('lists the index searches whose prefixes must be measured', () => {
    const plan = ['SEARCH t USING INDEX a (x=? AND y=?)', 'SEARCH t USING INDEX b (x>?)', 'SCAN t', 'SEARCH t USING INTEGER PRIMARY KEY (rowid=?)', 'SEARCH s USING INDEX c (x=?)'];
    expect(indexSearches(plan)).toEqual([{ index: 'a', equalities: 2 }]);
  });

  it("bounds a WITHOUT ROWID table's primary-key search like an index search: a key prefix is a range of rows", () => {
    // Primary key (tenant_id, id): a search for one tenant reads its rows, not one row.
    const columns = { ...indexColumns, [indexName({ index: null })]: ['tenant_id', 'id'] };
    const maxima = { [prefixKey({ index: null, equalities: 1 })]: 5_000, [prefixKey({ index: null, equalities: 2 })]: 1 };
    const plan = (constraint: string) => [`SEARCH t USING PRIMARY KEY (${constraint})`];
    expect(estimateSqliteRowsRead(plan('tenant_id=?'), { ...ctx(10_000, maxima), indexColumns: columns })).toBe(5_000);
    expect(estimateSqliteRowsRead(plan('tenant_id=? AND id>?'), { ...ctx(10_000, maxima), indexColumns: columns })).toBe(5_000);
    expect(estimateSqliteRowsRead(plan('tenant_id=? AND id=?'), { ...ctx(10_000, maxima, 'WHERE t."tenant_id" = $1 AND t."id" = $2'), indexColumns: columns })).toBe(1);
    expect(estimateSqliteRowsRead(plan('id>?'), ctx(10_000))).toBe(10_000);
    expect(indexSearches(plan('tenant_id=?'))).toEqual([{ index: null, equalities: 1 }]);
  });
});
