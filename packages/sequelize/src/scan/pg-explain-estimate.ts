import { searchesFor } from './in-list.js';
import { condKeys, mentionsColumn, pinsColumn } from './index-cond.js';

/**
 * Rows a PostgreSQL plan will read, from `EXPLAIN (FORMAT JSON)`: not the rows it returns.
 *
 * - A Seq Scan reads the whole table; a full Index Scan (no Index Cond) walks it in index order.
 * - An index scan with an Index Cond (plain, index-only or bitmap) reads at most what its condition can
 *   match whatever the values: the table times the largest share any one value of an equality-compared
 *   column holds (statistics), per key searched. Never the planner's row estimate for the values given:
 *   it multiplies the selectivities of correlated columns (a tenant's only region), and it answers for
 *   other tenants' values (a value only another tenant has is estimated as common). Without an equality
 *   on the index's leading columns, or without statistics, the table.
 * - Under a Limit, a scan reads only the rows needed to fill it, as long as every row it reads on the way
 *   is returned. A Filter breaks that (its matches may all come last), as does an index column checked
 *   entry by entry rather than bounding the walk; so does a Sort, Aggregate, Hash or other node that
 *   consumes its whole input. Under a Gather, the leader and each worker may read that many.
 * - Bitmap index scans always run to completion.
 */
export interface PgPlanNode {
  'Node Type': string;
  'Plan Rows': number;
  'Plan Width'?: number;
  'Parallel Aware'?: boolean;
  'Workers Planned'?: number;
  'Index Name'?: string;
  'Index Cond'?: string;
  Filter?: string;
  Plans?: PgPlanNode[];
}

/** An index of the table, from the catalog. */
export interface IndexShape {
  /** Key columns in index order ('' for an expression). */
  columns: string[];
  unique: boolean;
}

export interface PgEstimateContext {
  /** The planner's own size estimate of the (single) table the statement reads. */
  tableRows: number;
  /** The table's indexes by name. */
  indexes: Record<string, IndexShape | undefined>;
  /** Per column, the share of the table its most frequent value holds; missing when never analyzed. */
  maxShares: Map<string, number>;
  /** How many values each column is searched for by equality (see `equalityKeys`). */
  keys: Map<string, number>;
  /** The statement's LIMIT, when it has one. */
  limit?: number;
}

// Nodes that may read their whole input whatever they return: blocking nodes, and joins (rows without a match are dropped like a Filter).
const CONSUMES_INPUT = new Set(['Sort', 'Incremental Sort', 'Aggregate', 'Hash', 'Materialize', 'SetOp', 'Unique', 'Gather Merge', 'WindowAgg', 'Nested Loop', 'Hash Join', 'Merge Join']);
const INDEX_SCANS = new Set(['Index Scan', 'Index Only Scan']);

interface IndexWalk {
  /** Most index entries the walk can visit, whatever the values searched. */
  rows: number;
  /** Every entry visited matches the whole Index Cond: no column is checked entry by entry. */
  returnsAll: boolean;
}

/**
 * The entries an index scan with an Index Cond walks. B-tree bounds the walk by the leading columns
 * compared by equality (then one range); a later column is checked on every entry of that stretch.
 */
function indexWalk(node: PgPlanNode, ctx: PgEstimateContext): IndexWalk {
  const cond = node['Index Cond']!;
  const index = ctx.indexes[node['Index Name'] ?? ''];
  if (!index) return { rows: ctx.tableRows, returnsAll: false };
  const prefix: string[] = [];
  for (const column of index.columns) {
    if (!column || !pinsColumn(cond, column)) break;
    prefix.push(column);
  }
  const checkedPerEntry = index.columns.slice(prefix.length + 1).some((column) => column !== '' && mentionsColumn(cond, column));
  const returnsAll = !checkedPerEntry && !index.columns.includes('');
  if (prefix.length === 0) return { rows: ctx.tableRows, returnsAll };
  // The plan's own keys: PostgreSQL may rewrite a condition into a list the statement text does not show (NOT (x NOT IN ...)).
  const keys = new Map(prefix.map((column) => [column, Math.max(ctx.keys.get(column) ?? 0, condKeys(cond, column))]));
  if (index.unique && prefix.length === index.columns.length) return { rows: Math.min(ctx.tableRows, searchesFor(keys, prefix)), returnsAll };
  // Rows matching every pinned column match each one: any column's worst case bounds them all.
  const bounds = prefix.flatMap((column) => {
    const share = ctx.maxShares.get(column);
    return share === undefined ? [] : [searchesFor(keys, [column]) * Math.max(1, share * ctx.tableRows)];
  });
  return { rows: Math.min(ctx.tableRows, ...bounds), returnsAll };
}

/** Rows `node` reads when its parent needs at most `need` of its rows (Infinity: all). */
function scanned(node: PgPlanNode, need: number, ctx: PgEstimateContext): number {
  // Rows a Filter drops are not counted on to be spread out: below it, the whole input may be read.
  const wanted = node.Filter === undefined ? need : Number.POSITIVE_INFINITY;
  const children = node.Plans ?? [];
  const sum = (n: number) => children.reduce((total, child) => total + scanned(child, n, ctx), 0);
  const type = node['Node Type'];
  if (INDEX_SCANS.has(type)) {
    if (!node['Index Cond']) return Math.min(ctx.tableRows, wanted);
    const walk = indexWalk(node, ctx);
    return walk.returnsAll ? Math.min(walk.rows, wanted) : walk.rows;
  }
  switch (type) {
    case 'Seq Scan':
    case 'Sample Scan':
      return Math.min(ctx.tableRows, wanted);
    case 'Bitmap Index Scan':
      return node['Index Cond'] ? indexWalk(node, ctx).rows : ctx.tableRows;
    case 'Bitmap Heap Scan':
      return sum(Number.POSITIVE_INFINITY);
    case 'Limit':
      // Its Plan Rows is the planner's guess when below the LIMIT: the statement's own LIMIT holds whatever the values.
      return sum(Math.min(wanted, Math.max(node['Plan Rows'], ctx.limit ?? 0)));
    case 'Gather':
      // Parallel scans share the rows out, but the leader and every worker may each read `need` before the Limit stops them.
      return sum(wanted * ((node['Workers Planned'] ?? 0) + 1));
    default:
      return CONSUMES_INPUT.has(type) ? sum(Number.POSITIVE_INFINITY) : sum(wanted);
  }
}

export function estimateRowsScanned(plan: PgPlanNode, ctx: PgEstimateContext): number {
  return Math.ceil(scanned(plan, Number.POSITIVE_INFINITY, ctx));
}

/** Whether the plan reads through an index condition: then the table's indexes and column statistics are needed. */
export function usesIndexCond(plan: PgPlanNode): boolean {
  return plan['Index Cond'] !== undefined || (plan.Plans ?? []).some(usesIndexCond);
}

/** The plan's largest row estimate, counting a parallel node's rows (estimated per process) for the leader and every worker. */
export function largestPlanRows(plan: PgPlanNode, processes = 1): number {
  const own = plan['Plan Rows'] * (plan['Parallel Aware'] ? processes : 1);
  const inner = plan['Workers Planned'] !== undefined ? plan['Workers Planned'] + 1 : processes;
  return Math.max(own, ...(plan.Plans ?? []).map((child) => largestPlanRows(child, inner)));
}
