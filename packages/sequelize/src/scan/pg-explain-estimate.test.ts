import { describe, expect, it } from 'vitest';
import { equalityKeys } from './in-list.js';
import { condKeys, pinsColumn } from './index-cond.js';
import { estimateRowsScanned, largestPlanRows, usesIndexCond, type IndexShape, type PgEstimateContext, type PgPlanNode } from './pg-explain-estimate.js';

const node = (type: string, rows: number, extra: Partial<PgPlanNode> = {}): PgPlanNode => ({ 'Node Type': type, 'Plan Rows': rows, ...extra });
const limit = (rows: number, child: PgPlanNode) => node('Limit', rows, { Plans: [child] });

const table = 200_000;
const INDEXES: Record<string, IndexShape> = {
  events_pkey: { columns: ['id'], unique: true },
  events_tenant_id_id: { columns: ['tenant_id', 'id'], unique: false },
  events_tenant_id_kind: { columns: ['tenant_id', 'kind'], unique: false },
  events_tenant_id_region: { columns: ['tenant_id', 'region'], unique: false },
  events_tenant_id_status_customer_id: { columns: ['tenant_id', 'status', 'customer_id'], unique: false },
};
const SHARES = { tenant_id: 0.5, kind: 0.001, region: 0.1, status: 0.05, customer_id: 0.0001 };
const ctx = (sql = 'WHERE t."tenant_id" = $1', extra: Partial<PgEstimateContext> = {}): PgEstimateContext => ({
  tableRows: table,
  indexes: INDEXES,
  maxShares: new Map(Object.entries(SHARES)),
  keys: equalityKeys(sql),
  ...extra,
});
const TENANT = "((tenant_id)::text = 'acme'::text)";

describe('estimateRowsScanned', () => {
  it('counts a sequential scan as the whole table, whatever it returns', () => {
    expect(estimateRowsScanned(node('Seq Scan', 12), ctx())).toBe(table);
  });

  it('under a Limit, an unfiltered scan reads only the rows needed to fill it', () => {
    expect(estimateRowsScanned(limit(50, node('Seq Scan', table)), ctx())).toBe(50);
    const walk = limit(21, node('Index Scan', 99_000, { 'Index Name': 'events_tenant_id_id', 'Index Cond': TENANT }));
    expect(estimateRowsScanned(walk, ctx())).toBe(21);
    // A tenant the planner thinks tiny: its Limit's Plan Rows is that guess, the statement's LIMIT is what holds.
    const tiny = limit(3, node('Index Scan', 3, { 'Index Name': 'events_tenant_id_id', 'Index Cond': TENANT }));
    expect(estimateRowsScanned(tiny, ctx(undefined, { limit: 21 }))).toBe(21);
  });

  it('under a Limit, a filtered scan counts its whole input: the matches may all come last', () => {
    const filter = `(${TENANT} AND (created_at < now()))`;
    expect(estimateRowsScanned(limit(21, node('Index Scan', 481, { 'Index Name': 'events_pkey', Filter: filter })), ctx())).toBe(table);
    expect(estimateRowsScanned(limit(50, node('Seq Scan', 100_000, { Filter: filter })), ctx())).toBe(table);
    // A filter on a node above the scan (a subquery's WHERE) breaks the share just the same.
    const above = limit(20, node('Subquery Scan', 1_000, { Filter: '(s.rn <= 20)', Plans: [node('Seq Scan', table)] }));
    expect(estimateRowsScanned(above, ctx())).toBe(table);
    // So does an index column checked entry by entry: customer_id does not bound a walk that skips status.
    const skips = node('Index Scan', 5, { 'Index Name': 'events_tenant_id_status_customer_id', 'Index Cond': `(${TENANT} AND (customer_id = 7))` });
    expect(estimateRowsScanned(limit(21, skips), ctx('t."tenant_id" = $1 AND t."customer_id" = $2'))).toBe(100_000);
  });

  it('bounds an index condition by the largest share of a column it compares by equality, not by the planner estimate', () => {
    // Every row of tenant t0 is in region r0: the planner multiplies 10% by 10% and expects 1,971 of 200,000 rows.
    const correlated = (planRows: number) =>
      node('Aggregate', 1, { Plans: [node('Bitmap Heap Scan', planRows, { Plans: [node('Bitmap Index Scan', planRows, { 'Index Name': 'events_tenant_id_region', 'Index Cond': `(${TENANT} AND ((region)::text = 'r0'::text))` })] })] });
    const sql = 't."tenant_id" = $1 AND t."region" = $2';
    const shares = new Map([['tenant_id', 0.1], ['region', 0.1]]);
    expect(estimateRowsScanned(correlated(1_971), ctx(sql, { maxShares: shares }))).toBe(20_000);
    // The same whatever the planner expects for the value given: a value only another tenant holds answers like one nobody holds.
    expect(estimateRowsScanned(correlated(50_000), ctx(sql, { maxShares: shares }))).toBe(20_000);
    expect(estimateRowsScanned(correlated(1), ctx(sql, { maxShares: shares }))).toBe(20_000);
    // The smallest bound of the pinned columns wins: a selective kind within the tenant.
    const kind = node('Index Scan', 3, { 'Index Name': 'events_tenant_id_kind', 'Index Cond': `(${TENANT} AND ((kind)::text = 'k'::text))`, Filter: '(x > 1)' });
    expect(estimateRowsScanned(kind, ctx('t."tenant_id" = $1 AND t."kind" = $2'))).toBe(200);
  });

  it('fails closed without statistics, without an equality on the leading column, or on an unknown index', () => {
    const scan = node('Index Scan', 481, { 'Index Name': 'events_tenant_id_id', 'Index Cond': TENANT, Filter: '(created_at < now())' });
    expect(estimateRowsScanned(scan, ctx())).toBe(100_000);
    expect(estimateRowsScanned(scan, ctx(undefined, { maxShares: new Map() }))).toBe(table);
    expect(estimateRowsScanned(scan, ctx(undefined, { indexes: {} }))).toBe(table);
    const ranged = node('Index Scan', 40, { 'Index Name': 'events_tenant_id_id', 'Index Cond': "((tenant_id)::text > 'a'::text)", Filter: TENANT });
    expect(estimateRowsScanned(ranged, ctx())).toBe(table);
    const skipsLead = node('Bitmap Index Scan', 40, { 'Index Name': 'events_tenant_id_kind', 'Index Cond': "((kind)::text = 'k'::text)" });
    expect(estimateRowsScanned(skipsLead, ctx('t."kind" = $1'))).toBe(table);
  });

  it('counts each key of an IN list (or of ORed equalities) on the column it searches', () => {
    const pk = node('Index Scan', 40, { 'Index Name': 'events_pkey', 'Index Cond': "(id = ANY ('{1,2}'::integer[]))", Filter: TENANT });
    expect(estimateRowsScanned(pk, ctx('t."tenant_id" = $1 AND t."id" IN ($2, $3, $4)'))).toBe(3);
    const kinds = node('Bitmap Index Scan', 3, { 'Index Name': 'events_tenant_id_kind', 'Index Cond': `(${TENANT} AND ((kind)::text = ANY ('{a,b}'::text[])))` });
    expect(estimateRowsScanned(kinds, ctx('t."tenant_id" = $1 AND (t."kind" IN ($2, $3) OR t."kind" = $4)'))).toBe(600);
  });

  it("counts the keys of a list PostgreSQL rewrote the statement into, from the plan's Index Cond", () => {
    // NOT (kind NOT IN (...)) is planned as kind = ANY (...): the statement text shows no IN list.
    const sql = 't."tenant_id" = $1 AND NOT (t."kind" NOT IN ($2, $3, $4, $5, $6))';
    const bitmap = (cond: string) => node('Aggregate', 1, { Plans: [node('Bitmap Heap Scan', 5, { Plans: [node('Bitmap Index Scan', 5, { 'Index Name': 'events_tenant_id_kind', 'Index Cond': `(${TENANT} AND ${cond})` })] })] });
    // As PostgreSQL 16 prints the values c0, a,"b, it's, x\y, c2 (custom plan) and $2..$4 (generic plan).
    expect(estimateRowsScanned(bitmap(`((kind)::text = ANY ('{c0,"a,\\"b",it''s,"x\\\\y",c2}'::text[]))`), ctx(sql))).toBe(1_000);
    expect(estimateRowsScanned(bitmap('((kind)::text = ANY ((ARRAY[$2, $3, $4])::text[]))'), ctx(sql))).toBe(600);
    // A list it cannot count is bounded by the other pinned columns (here the tenant), as if every row matched.
    expect(estimateRowsScanned(bitmap('((kind)::text = ANY ($2))'), ctx(sql))).toBe(100_000);
  });

  it('a value spelling "<column> = " does not pin the column: only the condition outside string literals counts', () => {
    const range = node('Aggregate', 1, { Plans: [node('Index Only Scan', 5, { 'Index Name': 'events_tenant_id_region', 'Index Cond': `(${TENANT} AND ((region)::text >= 'r0 region = '::text))` })] });
    expect(estimateRowsScanned(range, ctx('t."tenant_id" = $1 AND t."region" >= $2'))).toBe(100_000);
  });

  it('a Sort (or any node consuming its input) between Limit and scan reads everything', () => {
    expect(estimateRowsScanned(limit(50, node('Sort', 100_000, { Plans: [node('Seq Scan', 100_000)] })), ctx())).toBe(table);
    expect(estimateRowsScanned(node('Aggregate', 1, { Plans: [node('Seq Scan', 100_000)] }), ctx())).toBe(table);
  });

  it('bitmap index scans run to completion; a full index walk without a condition is a table scan in index order', () => {
    const bitmap = limit(10, node('Bitmap Heap Scan', 5_000, { Filter: '(x)', Plans: [node('Bitmap Index Scan', 5_000, { 'Index Name': 'events_tenant_id_kind', 'Index Cond': `(${TENANT} AND ((kind)::text = 'k'::text))` })] }));
    expect(estimateRowsScanned(bitmap, ctx('t."tenant_id" = $1 AND t."kind" = $2'))).toBe(200);
    expect(estimateRowsScanned(limit(21, node('Index Scan', table)), ctx())).toBe(21);
    expect(estimateRowsScanned(node('Index Scan', 100_000), ctx())).toBe(table);
  });
});

describe('parallel plans', () => {
  // EXPLAIN (FORMAT JSON) of a count over 2,000,000 rows, two tenants, index (tenant_id, amount), on PostgreSQL 15:
  // the Parallel Index Only Scan's 162,657 rows are per process; it reads 400,002.
  const parallelCount: PgPlanNode = JSON.parse(`{"Node Type":"Aggregate","Strategy":"Plain","Partial Mode":"Finalize","Parallel Aware":false,
    "Plan Rows":1,"Plan Width":8,"Plans":[{"Node Type":"Gather","Parent Relationship":"Outer","Parallel Aware":false,"Plan Rows":2,"Plan Width":8,
    "Workers Planned":2,"Single Copy":false,"Plans":[{"Node Type":"Aggregate","Strategy":"Plain","Partial Mode":"Partial","Parent Relationship":"Outer",
    "Parallel Aware":false,"Plan Rows":1,"Plan Width":8,"Plans":[{"Node Type":"Index Only Scan","Parent Relationship":"Outer","Parallel Aware":true,
    "Scan Direction":"Forward","Index Name":"events_tenant_id_amount","Relation Name":"events","Alias":"t","Plan Rows":162657,"Plan Width":0,
    "Index Cond":"((tenant_id = 't0'::text) AND (amount >= 0) AND (amount <= 400000))"}]}]}]}`);
  const twoMillion = (extra: Partial<PgEstimateContext> = {}) =>
    ctx('t."tenant_id" = $1 AND t."amount" BETWEEN $2 AND $3', {
      tableRows: 2_000_000,
      indexes: { events_tenant_id_amount: { columns: ['tenant_id', 'amount'], unique: false } },
      maxShares: new Map([['tenant_id', 0.5045]]),
      ...extra,
    });

  it('a range under a parallel count is bounded by the tenant, not by one worker share of it', () => {
    expect(estimateRowsScanned(parallelCount, twoMillion())).toBe(1_009_000);
    expect(estimateRowsScanned(parallelCount, twoMillion())).toBeGreaterThan(400_002);
  });

  it('under a Limit, the leader and every worker may each read the rows needed', () => {
    const plan = limit(21, node('Gather', 21, { 'Workers Planned': 2, Plans: [node('Seq Scan', 833_333, { 'Parallel Aware': true })] }));
    expect(estimateRowsScanned(plan, twoMillion())).toBe(63);
  });

  it("counts a parallel node's per-process rows once per process when sizing from the plan", () => {
    expect(largestPlanRows(parallelCount)).toBe(3 * 162_657);
    expect(largestPlanRows(node('Seq Scan', 500))).toBe(500);
  });
});

describe('usesIndexCond and pinsColumn', () => {
  it('tells whether a plan reads through an index condition', () => {
    expect(usesIndexCond(limit(2, node('Bitmap Heap Scan', 1, { Plans: [node('Bitmap Index Scan', 1, { 'Index Cond': '(id = 1)' })] })))).toBe(true);
    expect(usesIndexCond(limit(2, node('Seq Scan', 1, { Filter: '(id = 1)' })))).toBe(false);
  });

  it('recognises equality on a column as PostgreSQL prints it, and nothing else', () => {
    expect(pinsColumn(TENANT, 'tenant_id')).toBe(true);
    expect(pinsColumn('((id = 5) AND (kind = 1))', 'kind')).toBe(true);
    expect(pinsColumn('(t.id = ANY ($1))', 'id')).toBe(true);
    expect(pinsColumn('(("tenantId")::character varying = $1)', 'tenantId')).toBe(true);
    expect(pinsColumn('(id >= 5)', 'id')).toBe(false);
    expect(pinsColumn('(other_id = 5)', 'id')).toBe(false);
    expect(pinsColumn('((tenant_id)::text <> $1)', 'tenant_id')).toBe(false);
    expect(pinsColumn("((ref)::text >= 'x ref = y'::text)", 'ref')).toBe(false);
    expect(pinsColumn("((note)::text = 'it''s (ref = 1'::text)", 'ref')).toBe(false);
    expect(pinsColumn("((\"it's\")::text = 'a'::text)", "it's")).toBe(true);
  });

  it('counts the values an Index Cond searches a column for', () => {
    expect(condKeys("((kind)::text = 'k'::text)", 'kind')).toBe(1);
    expect(condKeys("((kind)::text = ANY ('{a,\"b,c\",\"d\\\\\"\"}'::text[]))", 'kind')).toBe(3);
    expect(condKeys('((kind)::text = ANY ((ARRAY[$2, $3])::text[]))', 'kind')).toBe(2);
    expect(condKeys('(id = ANY ($1))', 'id')).toBe(Number.POSITIVE_INFINITY);
    expect(condKeys("((kind)::text = ANY ('not an array'::text[]))", 'kind')).toBe(Number.POSITIVE_INFINITY);
    expect(condKeys("((note)::text = 'kind = ANY'::text)", 'kind')).toBe(0);
  });
});

describe('equalityKeys', () => {
  it('counts the values each column is searched for, from IN lists and equalities', () => {
    const keys = equalityKeys('WHERE (t."tenant_id" = $1 AND t."a""b" IN ($2, $3) AND (t."kind" = $4 OR t."kind" IN ($5)) AND t."x" NOT IN ($6) AND t."y" >= $7)');
    expect([...keys]).toEqual([['tenant_id', 1], ['a"b', 2], ['kind', 2]]);
  });
});
