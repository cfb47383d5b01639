/**
 * Rows a PostgreSQL plan will read, from `EXPLAIN (FORMAT JSON)`: not the rows it returns.
 *
 * - A Seq Scan reads the whole table; a full Index Scan (no Index Cond) walks it in index order.
 * - Under a Limit, only the fraction needed to produce the limited rows is read, as long as nothing
 *   between the Limit and the scan must consume all its input first (Sort, Aggregate, Hash...).
 *   That is why the top node's row estimate is useless here: under a LIMIT it is the LIMIT.
 * - Bitmap index scans always run to completion.
 */
export interface PgPlanNode {
  'Node Type': string;
  'Plan Rows': number;
  'Plan Width'?: number;
  'Index Cond'?: string;
  Plans?: PgPlanNode[];
}

const BLOCKING = new Set(['Sort', 'Incremental Sort', 'Aggregate', 'Hash', 'Materialize', 'SetOp', 'Unique', 'Gather Merge']);

function scanned(node: PgPlanNode, fraction: number, tableRows: number): number {
  const children = node.Plans ?? [];
  const sum = (f: number) => children.reduce((total, child) => total + scanned(child, f, tableRows), 0);
  switch (node['Node Type']) {
    case 'Seq Scan':
    case 'Sample Scan':
      return tableRows * fraction;
    case 'Index Scan':
    case 'Index Only Scan':
      return (node['Index Cond'] ? node['Plan Rows'] : tableRows) * fraction;
    case 'Bitmap Index Scan':
      return node['Plan Rows'];
    case 'Bitmap Heap Scan':
      return sum(1);
    case 'Limit': {
      const child = children[0];
      if (!child) return 0;
      const share = child['Plan Rows'] > 0 ? Math.min(1, node['Plan Rows'] / child['Plan Rows']) : 1;
      return scanned(child, fraction * share, tableRows);
    }
    default:
      return BLOCKING.has(node['Node Type']) ? sum(1) : sum(fraction);
  }
}

/** `tableRows`: the planner's own size estimate of the (single) table the statement reads. */
export function estimateRowsScanned(plan: PgPlanNode, tableRows: number): number {
  return Math.ceil(scanned(plan, 1, tableRows));
}
