import { ExecutionLimitError } from '@ormai/core';
import type { ScanGuard } from './scan-guard.js';
import { pgScanEstimator } from './pg-scan-estimator.js';
import { withinBudget } from './pg-table-size.js';

/**
 * PostgreSQL: a statement on a table the planner knows holds at most `maxScanRows` rows (and that has not
 * grown since) cannot exceed the budget and skips the estimate; any other statement is estimated from the
 * plan that will run it, which the guard also chooses.
 *
 * On OrmAI's read pool a plain table's statement runs its text's generic plan when that plan's estimate
 * fits the budget: one plan per text whatever the values, probed once and kept 10 s, so new values cost no
 * round trip, and the estimate never depended on them (see pg-explain-estimate.ts; only the statement's own
 * LIMIT is read per call). Otherwise, and for partitioned tables and views, the plan for the call's own
 * values is explained (on every call, right before it runs) and, when it fits, the statement runs that plan: the
 * connection is switched to per-value plans. Either way the plan estimated is the plan that runs, and a
 * statement is refused only when the plan for its values would be refused too. With `valuesFallback`
 * false, a plain table's statement whose generic plan is over budget is refused at once, whatever the
 * values: no EXPLAIN per call, and an answer that never depends on them.
 *
 * Elsewhere (a write's transaction on the application's pool, a server without plan_cache_mode), the plan
 * for the values is always the one explained and run.
 */
export function pgScanGuard({ valuesFallback = true }: { valuesFallback?: boolean } = {}): ScanGuard {
  const estimator = pgScanEstimator();
  return async (session, statement, meta, maxScanRows) => {
    const stats = await estimator.table(session, meta);
    if (withinBudget(stats, maxScanRows)) return;
    if (session.useGenericPlans && stats?.kind === 'r') {
      const generic = await estimator.generic(session, statement, meta, stats);
      if (generic <= maxScanRows) return session.useGenericPlans(true);
      if (!valuesFallback) throw new ExecutionLimitError('scan_budget_exceeded', meta.model, maxScanRows, generic);
    }
    const forValues = await estimator.forValues(session, statement, meta, stats);
    if (forValues > maxScanRows) throw new ExecutionLimitError('scan_budget_exceeded', meta.model, maxScanRows, forValues);
    await session.useGenericPlans?.(false);
  };
}
