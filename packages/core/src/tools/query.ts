import { errors } from '../errors.js';
import { authorizeFilter } from '../authorize/filter.js';
import { scopePredicate } from '../authorize/scope.js';
import { checkJoinDepth, planIncludes, projectionFields, resolveSelect, unique } from '../authorize/select.js';
import { decodeCursor, encodeCursor, type CursorScope } from '../plan/cursor.js';
import { keysetFilter } from '../plan/keyset.js';
import { and, TRUE } from '../plan/plan.js';
import type { FilterNode, OrderTerm, Scalar } from '../spec/plan.js';
import { projectRow, type Projection } from '../redact.js';
import type { Row } from '../spec/adapter.js';
import type { BoundModel } from '../spec/bound-policy.js';
import type { QueryInput } from '../spec/tool-inputs.js';
import type { QueryResult } from '../spec/tools.js';
import { collectSubjects, subjectFields } from '../audit/collect-subjects.js';
import { executionOptions, requireModel, type ToolEnv } from './tool-env.js';

/** Sortable = filterable: masked fields stay out of ORDER BY, since ordering would leak their clear values. */
function resolveOrder(model: BoundModel, orderBy: QueryInput['orderBy']): OrderTerm[] {
  const terms: OrderTerm[] = [];
  for (const { field, direction } of orderBy ?? []) {
    if (!model.filterable.includes(field)) throw errors.fieldNotAllowed(model.name, field, 'orderBy', model.filterable);
    if (!terms.some((t) => t.field === field)) terms.push({ field, direction: direction ?? 'asc' });
  }
  // The primary key makes the order total, which keyset pagination needs.
  if (!terms.some((t) => t.field === model.primaryKey)) terms.push({ field: model.primaryKey, direction: 'asc' });
  return terms;
}

/**
 * A db_query checked against the policy once and read in pages: `read` fetches up to `count` rows in the
 * query's order after a position (undefined: the input's cursor, or the start), `answer` turns the rows
 * kept into the agent's page. runQuery reads one page; a domain search may read on (see search.ts).
 */
export interface QueryPages {
  model: BoundModel;
  limit: number;
  read(after: Scalar[] | undefined, count: number): Promise<Row[]>;
  positionOf(row: Row): Scalar[];
  /** `more`: another row follows the page's last, so the answer carries a cursor after it. */
  answer(page: Row[], more: boolean): QueryResult;
}

/**
 * `textSearch`: a predicate the policy vouches for (a domain tool's search), added to the agent's filter;
 * `alsoFetch`: fields read for the caller's own checks, never shown unless selected.
 */
export function planQuery(input: QueryInput, env: ToolEnv, textSearch: FilterNode = TRUE, alsoFetch: string[] = []): QueryPages {
  const model = requireModel(env, input.model);
  const budgets = env.bound.budgetsFor(model, 'db_query');
  const limit = input.limit ?? budgets.maxRows;
  if (limit > budgets.maxRows) throw errors.maxRowsExceeded(model.name, limit, budgets.maxRows);
  checkJoinDepth(input.include, budgets.maxJoinDepth);

  const fields = resolveSelect(model, input.select);
  const orderBy = resolveOrder(model, input.orderBy);
  const filter = and(scopePredicate(model, env.tenantId), authorizeFilter(input.where, model), textSearch);
  const cursorScope: CursorScope = { tenantId: env.tenantId, model: model.name, orderBy };
  const start = input.cursor === undefined ? undefined : decodeCursor(env.cursorKey, cursorScope, input.cursor);
  const includes = planIncludes(model, input.include, { bound: env.bound, tenantId: env.tenantId, tool: 'db_query' });
  const positionOf = (row: Row) => orderBy.map((t) => (row[t.field] ?? null) as Scalar);

  return {
    model,
    limit,
    positionOf,
    read: (after, count) =>
      env.adapter.select(
        {
          model: model.name,
          fields: unique([...fields, ...orderBy.map((t) => t.field), ...subjectFields(model), ...alsoFetch]),
          filter: (after ?? start) === undefined ? filter : and(filter, keysetFilter(orderBy, (after ?? start)!)),
          orderBy,
          limit: count,
          includes: includes.nodes,
        },
        executionOptions(env, budgets),
      ),
    answer(page, more) {
      const last = page[page.length - 1];
      const nextCursor = more && last ? encodeCursor(env.cursorKey, cursorScope, positionOf(last)) : null;
      env.facts.rowsReturned = page.length;
      env.facts.subjects = collectSubjects(env.bound, model, page, includes.nodes);
      const projection: Projection = { fields: projectionFields(model, fields), includes: includes.projections };
      return { rows: page.map((row) => projectRow(row, projection, env.hashKey)), nextCursor };
    },
  };
}

export async function runQuery(input: QueryInput, env: ToolEnv): Promise<QueryResult> {
  const pages = planQuery(input, env);
  const rows = await pages.read(undefined, pages.limit + 1); // one extra row tells whether a next page exists
  return pages.answer(rows.slice(0, pages.limit), rows.length > pages.limit);
}
