import { errors } from '../errors.js';
import { authorizeFilter } from '../authorize/filter.js';
import { scopePredicate } from '../authorize/scope.js';
import { checkJoinDepth, planIncludes, projectionFields, resolveSelect, unique } from '../authorize/select.js';
import { decodeCursor, encodeCursor, type CursorScope } from '../plan/cursor.js';
import { keysetFilter } from '../plan/keyset.js';
import { and } from '../plan/plan.js';
import type { OrderTerm, Scalar } from '../spec/plan.js';
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

export async function runQuery(input: QueryInput, env: ToolEnv): Promise<QueryResult> {
  const model = requireModel(env, input.model);
  const budgets = env.bound.budgetsFor(model, 'db_query');
  const limit = input.limit ?? budgets.maxRows;
  if (limit > budgets.maxRows) throw errors.maxRowsExceeded(model.name, limit, budgets.maxRows);
  checkJoinDepth(input.include, budgets.maxJoinDepth);

  const fields = resolveSelect(model, input.select);
  const orderBy = resolveOrder(model, input.orderBy);
  let filter = and(scopePredicate(model, env.tenantId), authorizeFilter(input.where, model));
  const cursorScope: CursorScope = { tenantId: env.tenantId, model: model.name, orderBy };
  if (input.cursor !== undefined) filter = and(filter, keysetFilter(orderBy, decodeCursor(env.cursorKey, cursorScope, input.cursor)));
  const includes = planIncludes(model, input.include, { bound: env.bound, tenantId: env.tenantId, tool: 'db_query' });

  const rows = await env.adapter.select(
    {
      model: model.name,
      fields: unique([...fields, ...orderBy.map((t) => t.field), ...subjectFields(model)]),
      filter,
      orderBy,
      limit: limit + 1, // one extra row tells whether a next page exists
      includes: includes.nodes,
    },
    executionOptions(env, budgets),
  );

  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > limit && last ? encodeCursor(env.cursorKey, cursorScope, orderBy.map((t) => (last[t.field] ?? null) as Scalar)) : null;
  env.facts.rowsReturned = page.length;
  env.facts.subjects = collectSubjects(env.bound, model, page, includes.nodes);
  const projection: Projection = { fields: projectionFields(model, fields), includes: includes.projections };
  return { rows: page.map((row) => projectRow(row, projection, env.hashKey)), nextCursor };
}
