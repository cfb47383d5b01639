import type { ReadSession } from '../session.js';
import type { CompiledSql } from '../sql/compile-select.js';
import type { PgPlanNode } from './pg-explain-estimate.js';

// The two plans PostgreSQL can run for a parameterized statement, as the scan estimate reads them.

const PROBE = 'ormai_scan_probe';

const planOf = (row: Record<string, unknown> | undefined) => (row?.['QUERY PLAN'] as Array<{ Plan: PgPlanNode }> | undefined)?.[0]?.Plan;

/** The plan PostgreSQL picks for the statement with these values (a custom plan): what a session runs outside generic-plan mode. */
export async function valuesPlan(session: ReadSession, { sql, params }: CompiledSql): Promise<PgPlanNode | undefined> {
  return planOf((await session.all(`EXPLAIN (FORMAT JSON) ${sql}`, params))[0]);
}

/**
 * The statement text's generic plan, the one a generic-plan session runs for any values: prepared, explained
 * with NULL arguments and deallocated, in one round trip. `SET LOCAL` holds the generic mode for that one
 * text whatever mode the connection is in: in the default mode, EXECUTE would plan for the NULLs (one-time
 * filter false, an estimate of nothing).
 */
export async function genericPlan(session: ReadSession, { sql, params }: CompiledSql): Promise<PgPlanNode | undefined> {
  const args = params.length ? `(${params.map(() => 'NULL').join(', ')})` : '';
  const probe = `SET LOCAL plan_cache_mode = force_generic_plan; PREPARE ${PROBE} AS ${sql}; EXPLAIN (FORMAT JSON) EXECUTE ${PROBE}${args}; DEALLOCATE ${PROBE}`;
  try {
    return planOf((await session.all(probe, []))[0]);
  } catch (error) {
    // PREPARE is not undone when the EXPLAIN after it fails: free the name for the next probe.
    await session.all(`DEALLOCATE ${PROBE}`, []).catch(() => undefined);
    throw error;
  }
}
