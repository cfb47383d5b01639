import type { TableMeta } from '../introspect.js';
import type { ReadSession } from '../session.js';
import type { CompiledSql } from '../sql/compile-select.js';
import { equalityKeys } from './in-list.js';
import { estimateRowsScanned, usesIndexCond, type IndexShape, type PgPlanNode } from './pg-explain-estimate.js';
import { genericPlan, valuesPlan } from './pg-plans.js';
import { loadColumnStats, loadIndexes, maxShares, type PgColumnStats } from './pg-statistics.js';
import { knownTableRows, loadTableStats, tableRowsNow, type PgTableStats } from './pg-table-size.js';
import { TtlCache } from './ttl-cache.js';

/** How long a generic plan's estimate is kept: one plan per statement text. */
const PLAN_TTL_MS = 10_000;

/** The statement's LIMIT value, when it ends in `LIMIT $n` (every compiled LIMIT is a bound parameter). */
function statementLimit({ sql, params }: CompiledSql): number | undefined {
  const index = /\bLIMIT \$(\d+)(?:\s+FOR \w+)?$/.exec(sql)?.[1];
  const value = index === undefined ? undefined : params[Number(index) - 1];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A statement text's generic plan and the estimates made from it so far, by LIMIT value (the only value they depend on). */
interface GenericEntry {
  plan: PgPlanNode | undefined;
  byLimit: Map<number | undefined, number>;
}

export interface PgScanEstimator {
  /** What pg_class says about the table (kept 30 s). */
  table(session: ReadSession, meta: TableMeta): Promise<PgTableStats | undefined>;
  /**
   * Rows the statement text's generic plan may read, whatever the values: probed once per text and kept 10 s,
   * so new values cost no round trip. Only the statement's own LIMIT is read per call.
   */
  generic(session: ReadSession, statement: CompiledSql, meta: TableMeta, stats: PgTableStats | undefined): Promise<number>;
  /**
   * Rows the plan PostgreSQL picks for these very values may read: EXPLAIN with the values on every call, right
   * before the statement runs. Not kept: PostgreSQL plans the values anew at each run, and an ANALYZE since an
   * earlier estimate can turn an index walk into a scan of the whole table.
   */
  forValues(session: ReadSession, statement: CompiledSql, meta: TableMeta, stats: PgTableStats | undefined): Promise<number>;
}

/** The scan estimates of PostgreSQL plans (see pg-explain-estimate.ts), with the catalog reads they need cached. */
export function pgScanEstimator(): PgScanEstimator {
  const sizes = new TtlCache<PgTableStats | undefined>();
  const indexes = new TtlCache<Record<string, IndexShape>>();
  const columnStats = new TtlCache<PgColumnStats[]>();
  const generics = new TtlCache<GenericEntry>(PLAN_TTL_MS);

  const estimate = async (session: ReadSession, plan: PgPlanNode | undefined, statement: CompiledSql, meta: TableMeta, stats: PgTableStats | undefined) => {
    if (!plan) return Number.POSITIVE_INFINITY; // a plan we cannot read is not evidence of a small scan
    const tableRows = tableRowsNow(stats, plan);
    const indexed = usesIndexCond(plan);
    return estimateRowsScanned(plan, {
      tableRows,
      indexes: indexed ? await indexes.get(meta.table, () => loadIndexes(session, meta.table)) : {},
      // Only statistics the planner trusts for this size: a table never analyzed has none, and is bounded by itself.
      maxShares:
        indexed && knownTableRows(stats) !== null ? maxShares(await columnStats.get(meta.table, () => loadColumnStats(session, meta.table)), tableRows) : new Map(),
      keys: equalityKeys(statement.sql),
      limit: statementLimit(statement),
    });
  };

  return {
    table: (session, meta) => sizes.get(meta.table, () => loadTableStats(session, meta.table)),

    async generic(session, statement, meta, stats) {
      const entry = await generics.get(statement.sql, async () => ({ plan: await genericPlan(session, statement), byLimit: new Map() }));
      const limit = statementLimit(statement);
      let rows = entry.byLimit.get(limit);
      if (rows === undefined) {
        rows = await estimate(session, entry.plan, statement, meta, stats);
        entry.byLimit.set(limit, rows);
      }
      return rows;
    },

    forValues: async (session, statement, meta, stats) => estimate(session, await valuesPlan(session, statement), statement, meta, stats),
  };
}
