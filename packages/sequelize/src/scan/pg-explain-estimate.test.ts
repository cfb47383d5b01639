import { describe, expect, it } from 'vitest';
import { estimateRowsScanned, filteredIndexScans, pinsColumn, type IndexLead, type PgPlanNode } from './pg-explain-estimate.js';

const node = (type: string, rows: number, extra: Partial<PgPlanNode> = {}): PgPlanNode => ({ 'Node Type': type, 'Plan Rows': rows, ...extra });
const limit = (rows: number, child: PgPlanNode) => node('Limit', rows, { Plans: [child] });

const table = 200_000;
const tenantLead: IndexLead = { column: 'tenant_id', maxShare: 0.5, unique: false };
const ctx = (indexes: Record<string, IndexLead> = {}, keys = 1) => ({ tableRows: table, keys, indexes });
const TENANT = "((tenant_id)::text = 'acme'::text)";

describe('estimateRowsScanned', () => {
  it('counts a sequential scan as the whole table, whatever it returns', () => {
    expect(estimateRowsScanned(node('Seq Scan', 12), ctx())).toBe(table);
  });

  it('under a Limit, an unfiltered scan reads only the share needed to fill it', () => {
    expect(estimateRowsScanned(limit(50, node('Seq Scan', table)), ctx())).toBe(50);
    const walk = limit(21, node('Index Scan', 99_000, { 'Index Name': 'events_tenant_id_id', 'Index Cond': TENANT }));
    expect(estimateRowsScanned(walk, ctx())).toBe(21);
  });

  it('under a Limit, a filtered scan counts its whole input: the matches may all come last', () => {
    // The planner expects 481 matches spread over the id order, so 21 of them after ~8,700 rows; they can sit at the end.
    const filter = `(${TENANT} AND (created_at < now()))`;
    expect(estimateRowsScanned(limit(21, node('Index Scan', 481, { 'Index Name': 'events_pkey', Filter: filter })), ctx())).toBe(table);
    expect(estimateRowsScanned(limit(21, node('Index Scan', 99_000, { 'Index Name': 'events_pkey', Filter: TENANT })), ctx())).toBe(table);
    expect(estimateRowsScanned(limit(50, node('Seq Scan', 100_000, { Filter: filter })), ctx())).toBe(table);
    // A filter on a node above the scan (a subquery's WHERE) breaks the share just the same.
    const above = limit(20, node('Subquery Scan', 1_000, { Filter: '(s.rn <= 20)', Plans: [node('Seq Scan', table)] }));
    expect(estimateRowsScanned(above, ctx())).toBe(table);
  });

  it('a filtered index scan walks what its Index Cond matches: the leading key worst case, not rows after the filter', () => {
    const scan = node('Index Scan', 481, { 'Index Name': 'events_tenant_id_id', 'Index Cond': TENANT, Filter: '(created_at < now())' });
    expect(estimateRowsScanned(limit(21, scan), ctx({ events_tenant_id_id: tenantLead }))).toBe(100_000);
    expect(estimateRowsScanned(scan, ctx({ events_tenant_id_id: tenantLead }))).toBe(100_000);
    // Without the index's statistics, or when the Index Cond does not pin its leading column: the table.
    expect(estimateRowsScanned(limit(21, scan), ctx())).toBe(table);
    const skipsLead = node('Index Scan', 40, { 'Index Name': 'events_tenant_id_kind', 'Index Cond': "((kind)::text = 'k'::text)", Filter: TENANT });
    expect(estimateRowsScanned(skipsLead, ctx({ events_tenant_id_kind: tenantLead }))).toBe(table);
    const ranged = node('Index Scan', 40, { 'Index Name': 'events_tenant_id_id', 'Index Cond': "((tenant_id)::text > 'a'::text)", Filter: TENANT });
    expect(estimateRowsScanned(ranged, ctx({ events_tenant_id_id: tenantLead }))).toBe(table);
  });

  it('a key lookup with the tenant as filter reads one row per key', () => {
    const pk: IndexLead = { column: 'id', maxShare: null, unique: true };
    const byId = limit(2, node('Index Scan', 1, { 'Index Name': 'events_pkey', 'Index Cond': '(id = 5)', Filter: TENANT }));
    expect(estimateRowsScanned(byId, ctx({ events_pkey: pk }))).toBe(1);
    const byIds = node('Index Scan', 40, { 'Index Name': 'events_pkey', 'Index Cond': "(id = ANY ('{1,2}'::integer[]))", Filter: TENANT });
    expect(estimateRowsScanned(byIds, ctx({ events_pkey: pk }, 40))).toBe(40);
    // A non-unique key: its most frequent value, per key.
    const customer: IndexLead = { column: 'customerId', maxShare: 0.001, unique: false };
    const byCustomer = node('Index Scan', 3, { 'Index Name': 'orders_customer_id', 'Index Cond': '("customerId" = ANY ($1))', Filter: TENANT });
    expect(estimateRowsScanned(byCustomer, ctx({ orders_customer_id: customer }, 4))).toBe(800);
  });

  it('a Sort (or any blocking node) between Limit and scan consumes everything', () => {
    const plan = limit(50, node('Sort', 100_000, { Plans: [node('Seq Scan', 100_000)] }));
    expect(estimateRowsScanned(plan, ctx())).toBe(table);
    expect(estimateRowsScanned(node('Aggregate', 1, { Plans: [node('Seq Scan', 100_000)] }), ctx())).toBe(table);
  });

  it('bitmap index scans run to completion; a full index walk without a condition is a table scan in index order', () => {
    const bitmap = limit(10, node('Bitmap Heap Scan', 5_000, { Filter: '(x)', Plans: [node('Bitmap Index Scan', 5_000)] }));
    expect(estimateRowsScanned(bitmap, ctx())).toBe(5_000);
    expect(estimateRowsScanned(limit(21, node('Index Scan', table)), ctx())).toBe(21);
    expect(estimateRowsScanned(node('Index Scan', 100_000), ctx())).toBe(table);
  });
});

describe('filteredIndexScans and pinsColumn', () => {
  it('names the indexes whose scans need their leading column bounded', () => {
    const plan = limit(2, node('Nested Loop', 1, { Plans: [node('Index Scan', 1, { 'Index Name': 'a', 'Index Cond': '(id = 1)', Filter: TENANT }), node('Index Scan', 1, { 'Index Name': 'b', 'Index Cond': '(id = 1)' })] }));
    expect(filteredIndexScans(plan)).toEqual(['a']);
  });

  it('recognises equality on a column as PostgreSQL prints it, and nothing else', () => {
    expect(pinsColumn(TENANT, 'tenant_id')).toBe(true);
    expect(pinsColumn('((id = 5) AND (kind = 1))', 'kind')).toBe(true);
    expect(pinsColumn('(t.id = ANY ($1))', 'id')).toBe(true);
    expect(pinsColumn('(("tenantId")::character varying = $1)', 'tenantId')).toBe(true);
    expect(pinsColumn('(id >= 5)', 'id')).toBe(false);
    expect(pinsColumn('(other_id = 5)', 'id')).toBe(false);
    expect(pinsColumn('((tenant_id)::text <> $1)', 'tenant_id')).toBe(false);
  });
});
