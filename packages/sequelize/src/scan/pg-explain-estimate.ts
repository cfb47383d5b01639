/**
 * Rows a PostgreSQL plan will read, from `EXPLAIN (FORMAT JSON)`: not the rows it returns.
 *
 * - A Seq Scan reads the whole table; a full Index Scan (no Index Cond) walks it in index order.
 * - Under a Limit, only the share needed to produce the limited rows is read, as long as every row
 *   read on the way is a row returned. A Filter breaks that: the planner assumes its matches are spread
 *   evenly in scan order, and an agent can pick a filter whose matches all come last. So below a Filter
 *   the whole input is counted, as is below a Sort, Aggregate, Hash or other node that consumes it all.
 * - An index scan with an Index Cond and no Filter reads its matches. With a Filter too, its row
 *   estimate counts rows after the filter, not the index entries it walks: those are bounded by the
 *   most frequent value of the index's leading column when the Index Cond pins that column by equality
 *   (per key of an IN list), by the table otherwise.
 * - Bitmap index scans always run to completion.
 */
export interface PgPlanNode {
  'Node Type': string;
  'Plan Rows': number;
  'Plan Width'?: number;
  'Index Name'?: string;
  'Index Cond'?: string;
  Filter?: string;
  Plans?: PgPlanNode[];
}

/** What statistics say about an index's leading column. */
export interface IndexLead {
  column: string;
  /** Share of the table holding the column's most frequent value (the worst case for one key); null if unknown. */
  maxShare: number | null;
  /** A unique index on that one column: one row per key. */
  unique: boolean;
}

export interface PgEstimateContext {
  /** The planner's own size estimate of the (single) table the statement reads. */
  tableRows: number;
  /** How many keys an equality may be searched with (the longest IN list), at least 1. */
  keys: number;
  /** Leading-column statistics of the indexes named by `filteredIndexScans`. */
  indexes: Record<string, IndexLead | undefined>;
}

const BLOCKING = new Set(['Sort', 'Incremental Sort', 'Aggregate', 'Hash', 'Materialize', 'SetOp', 'Unique', 'Gather Merge']);
const INDEX_SCANS = new Set(['Index Scan', 'Index Only Scan']);

const quoteIdent = (name: string) => (/^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a deparsed Index Cond compares `column` by equality, e.g. `((tenant_id)::text = 'a'::text)` or `(id = ANY (...))`. */
export function pinsColumn(indexCond: string, column: string): boolean {
  const name = escapeRegExp(quoteIdent(column));
  return new RegExp(`(?:^|[\\s(.])${name}\\)?(?:::[\\w ]+(?:\\[\\])?)?\\s=\\s`).test(indexCond);
}

/** The index entries a filtered index scan walks: what its Index Cond alone can match. */
function indexCondRows(node: PgPlanNode, ctx: PgEstimateContext): number {
  const lead = ctx.indexes[node['Index Name'] ?? ''];
  if (!lead || !pinsColumn(node['Index Cond']!, lead.column)) return ctx.tableRows;
  if (lead.unique) return Math.min(ctx.tableRows, ctx.keys);
  if (lead.maxShare === null) return ctx.tableRows;
  return Math.min(ctx.tableRows, Math.max(node['Plan Rows'], ctx.keys * Math.max(1, lead.maxShare * ctx.tableRows)));
}

function scanned(node: PgPlanNode, limitShare: number, ctx: PgEstimateContext): number {
  // Rows a Filter drops are not counted on to be spread out: below it, the Limit's share no longer applies.
  const fraction = node.Filter === undefined ? limitShare : 1;
  const children = node.Plans ?? [];
  const sum = (f: number) => children.reduce((total, child) => total + scanned(child, f, ctx), 0);
  const type = node['Node Type'];
  if (INDEX_SCANS.has(type)) {
    if (!node['Index Cond']) return ctx.tableRows * fraction;
    return node.Filter === undefined ? node['Plan Rows'] * fraction : indexCondRows(node, ctx);
  }
  switch (type) {
    case 'Seq Scan':
    case 'Sample Scan':
      return ctx.tableRows * fraction;
    case 'Bitmap Index Scan':
      return node['Plan Rows'];
    case 'Bitmap Heap Scan':
      return sum(1);
    case 'Limit': {
      const child = children[0];
      if (!child) return 0;
      const share = child['Plan Rows'] > 0 ? Math.min(1, node['Plan Rows'] / child['Plan Rows']) : 1;
      return scanned(child, fraction * share, ctx);
    }
    default:
      return BLOCKING.has(type) ? sum(1) : sum(fraction);
  }
}

export function estimateRowsScanned(plan: PgPlanNode, ctx: PgEstimateContext): number {
  return Math.ceil(scanned(plan, 1, ctx));
}

/** Indexes whose scans carry both an Index Cond and a Filter: their leading-column statistics are needed. */
export function filteredIndexScans(plan: PgPlanNode): string[] {
  const names = new Set<string>();
  const visit = (node: PgPlanNode) => {
    if (INDEX_SCANS.has(node['Node Type']) && node['Index Cond'] && node.Filter !== undefined && node['Index Name']) names.add(node['Index Name']);
    (node.Plans ?? []).forEach(visit);
  };
  visit(plan);
  return [...names];
}
