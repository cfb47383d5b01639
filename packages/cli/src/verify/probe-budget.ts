import type { ToolResult } from '@ormai/core';
import { ProbeTally } from './probe-result.js';
import type { ProbeSession } from './probe-session.js';

const BUDGET_ERRORS = new Set(['scan_budget_exceeded', 'max_rows_exceeded']);

/**
 * Probe 3: per model, an unbounded db_query (no filter, limit = maxRows) and an unfiltered count. Where
 * tenant A's rows outnumber the tool's maxScanRows, each must be refused with a structured budget
 * error; a model with fewer rows cannot show it and is listed as n/a.
 */
export async function probeBudget(session: ProbeSession): Promise<ProbeTally> {
  const tally = new ProbeTally('budget');
  const { a } = session.principals;
  const small: string[] = [];
  const expectBudgetError = (what: string, result: ToolResult) =>
    tally.check(!result.ok && BUDGET_ERRORS.has(result.error.code), () => `${what}: ${result.ok ? 'answered' : `refused with ${result.error.code}`} instead of a budget error`);

  for (const model of session.bound.modelNames) {
    const bound = session.bound.models[model]!;
    const size = session.rows[model]!.a.length;
    const query = session.bound.budgetsFor(bound, 'db_query');
    const aggregate = session.bound.budgetsFor(bound, 'db_aggregate');
    if (size <= query.maxScanRows) small.push(`${model} ${size}`);
    else if (!session.offers('db_query', model)) tally.skip(`db_query ${model}`);
    else expectBudgetError(`db_query ${model} (${size} rows, maxScanRows ${query.maxScanRows})`, await session.call('db_query', { model, limit: query.maxRows }, a));
    if (size > aggregate.maxScanRows && !session.offers('db_aggregate', model)) tally.skip(`db_aggregate ${model}`);
    else if (size > aggregate.maxScanRows) {
      expectBudgetError(`db_aggregate count ${model} (${size} rows, maxScanRows ${aggregate.maxScanRows})`, await session.call('db_aggregate', { model, op: 'count' }, a));
    }
  }
  if (small.length) tally.note(`n/a where tenant A's rows fit in maxScanRows: ${small.join(', ')}`);
  return tally;
}
