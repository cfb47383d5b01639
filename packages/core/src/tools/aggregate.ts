import { errors } from '../errors.js';
import { authorizeFilter } from '../authorize/filter.js';
import { scopePredicate } from '../authorize/scope.js';
import { unique } from '../authorize/select.js';
import { and } from '../plan/plan.js';
import type { BoundModel } from '../spec/bound-policy.js';
import type { FieldType } from '../schema-info.js';
import type { AggregateInput } from '../spec/tool-inputs.js';
import type { AggregateResult } from '../spec/tools.js';
import { collectSubjects, subjectsInFilter } from '../audit/collect-subjects.js';
import { executionOptions, requireModel, type ToolEnv } from './tool-env.js';
import { errorWording } from '../error-wording.js';

const NUMERIC: FieldType[] = ['integer', 'number'];
const ORDERED: FieldType[] = [...NUMERIC, 'date', 'dateonly', 'string'];

/** Aggregates run only over filterable (allowed, unmasked) fields: a sum or max of a secret is still the secret. */
function aggregateField(model: BoundModel, input: AggregateInput): string | null {
  if (input.field === undefined) {
    if (input.op === 'count') return null;
    throw errors.invalidInput(errorWording.invalidInput.needsField(input.op, fieldsFor(model, input.op)));
  }
  if (!model.filterable.includes(input.field)) throw errors.fieldNotAllowed(model.name, input.field, 'aggregates', model.filterable);
  const usable = fieldsFor(model, input.op);
  if (input.op !== 'count' && !usable.includes(input.field)) throw errors.fieldNotAllowed(model.name, input.field, input.op, usable);
  return input.field;
}

/** Fields an aggregate can take: numbers for sum/avg, anything ordered for min/max. */
function fieldsFor(model: BoundModel, op: AggregateInput['op']): string[] {
  const types = op === 'sum' || op === 'avg' ? NUMERIC : ORDERED;
  return model.filterable.filter((f) => types.includes(model.fields[f]!.type));
}

export async function runAggregate(input: AggregateInput, env: ToolEnv): Promise<AggregateResult> {
  const model = requireModel(env, input.model);
  const budgets = env.bound.budgetsFor(model, 'db_aggregate');
  const field = aggregateField(model, input);
  const groupBy = unique(input.groupBy ?? []);
  for (const g of groupBy) {
    if (!model.filterable.includes(g)) throw errors.fieldNotAllowed(model.name, g, 'groupBy', model.filterable);
  }
  const filter = and(scopePredicate(model, env.tenantId), authorizeFilter(input.where, model));
  const rows = await env.adapter.aggregate(
    { model: model.name, op: input.op, field, filter, groupBy, limit: groupBy.length ? budgets.maxRows + 1 : 1 },
    executionOptions(env, budgets),
  );
  const groups = rows.slice(0, budgets.maxRows);
  env.facts.rowsReturned = groupBy.length ? groups.length : 1;
  const subjects = [...subjectsInFilter(model, input.where), ...collectSubjects(env.bound, model, groups.map((g) => g.keys))];
  env.facts.subjects = [...new Map(subjects.map((s) => [`${s.model}\u0000${s.id}`, s])).values()];
  if (!groupBy.length) return { op: input.op, field, value: rows[0]?.value ?? null };
  return {
    op: input.op,
    field,
    groups: groups.map((r) => ({ key: r.keys, value: r.value })),
    truncated: rows.length > budgets.maxRows,
  };
}
