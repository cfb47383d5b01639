import { describe, expect, it } from 'vitest';
import { estimateRowsScanned, type PgPlanNode } from './pg-explain-estimate.js';

const node = (type: string, rows: number, extra: Partial<PgPlanNode> = {}): PgPlanNode => ({ 'Node Type': type, 'Plan Rows': rows, ...extra });

describe('estimateRowsScanned', () => {
  const table = 200_000;

  it('counts a sequential scan as the whole table, whatever it returns', () => {
    expect(estimateRowsScanned(node('Seq Scan', 12), table)).toBe(table);
  });

  it('under a Limit, reads only the share of the scan needed to fill it', () => {
    // 50 rows wanted, 100k match: about half a percent of the table is read.
    const plan = node('Limit', 50, { Plans: [node('Seq Scan', 100_000)] });
    expect(estimateRowsScanned(plan, table)).toBe(100);
  });

  it('a Sort (or any blocking node) between Limit and scan consumes everything', () => {
    const plan = node('Limit', 50, { Plans: [node('Sort', 100_000, { Plans: [node('Seq Scan', 100_000)] })] });
    expect(estimateRowsScanned(plan, table)).toBe(table);
    const aggregate = node('Aggregate', 1, { Plans: [node('Seq Scan', 100_000)] });
    expect(estimateRowsScanned(aggregate, table)).toBe(table);
  });

  it('an index scan with a condition reads its matches; bitmap index scans run to completion', () => {
    expect(estimateRowsScanned(node('Index Scan', 200, { 'Index Cond': '(kind = $1)' }), table)).toBe(200);
    const bitmap = node('Limit', 10, { Plans: [node('Bitmap Heap Scan', 5_000, { Plans: [node('Bitmap Index Scan', 5_000)] })] });
    expect(estimateRowsScanned(bitmap, table)).toBe(5_000);
  });

  it('a full index walk without a condition is a table scan in index order', () => {
    const plan = node('Limit', 21, { Plans: [node('Index Scan', 100_000)] });
    expect(estimateRowsScanned(plan, table)).toBe(42);
    expect(estimateRowsScanned(node('Index Scan', 100_000), table)).toBe(table);
  });
});
