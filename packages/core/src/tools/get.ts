import { errors } from '../errors.js';
import { expectedValue, fitsType } from '../authorize/values.js';
import { scopePredicate } from '../authorize/scope.js';
import { checkJoinDepth, planIncludes, projectionFields, resolveSelect, unique } from '../authorize/select.js';
import { and } from '../plan/plan.js';
import type { Scalar } from '../spec/plan.js';
import { projectRow } from '../redact.js';
import type { BoundModel } from '../spec/bound-policy.js';
import type { GetInput } from '../spec/tool-inputs.js';
import type { GetResult } from '../spec/tools.js';
import { collectSubjects, subjectFields } from '../audit/collect-subjects.js';
import { executionOptions, requireModel, type ToolEnv } from './tool-env.js';
import { errorWording } from '../error-wording.js';

/** Models often pass numeric ids as strings; accept that for integer keys, refuse anything else that does not fit. */
export function primaryKeyValue(model: BoundModel, id: string | number): Scalar {
  const key = model.fields[model.primaryKey]!;
  const type = key.type;
  if (type === 'integer') {
    const n = typeof id === 'string' && /^-?\d{1,15}$/.test(id) ? Number(id) : id;
    if (typeof n === 'number' && fitsType(key, n)) return n;
  } else if (typeof id === 'string' && !id.includes('\u0000')) {
    return id;
  }
  const kind = type === 'integer' ? 'integers' : 'strings';
  throw errors.invalidInput(errorWording.invalidInput.idType(model.name, kind, type === 'integer' ? expectedValue(key) : 'a string'), { model: model.name });
}

export async function runGet(input: GetInput, env: ToolEnv): Promise<GetResult> {
  const model = requireModel(env, input.model);
  const budgets = env.bound.budgetsFor(model, 'db_get');
  checkJoinDepth(input.include, budgets.maxJoinDepth);
  const fields = resolveSelect(model, input.select);
  const includes = planIncludes(model, input.include, { bound: env.bound, tenantId: env.tenantId, tool: 'db_get' });
  const id = primaryKeyValue(model, input.id);

  const rows = await env.adapter.select(
    {
      model: model.name,
      fields: unique([...fields, model.primaryKey, ...subjectFields(model)]),
      filter: and(scopePredicate(model, env.tenantId), { kind: 'cmp', field: model.primaryKey, op: 'eq', value: id }),
      orderBy: [{ field: model.primaryKey, direction: 'asc' }],
      limit: 1,
      includes: includes.nodes,
    },
    executionOptions(env, budgets),
  );
  // Another tenant's id looks exactly like a missing one.
  if (!rows[0]) throw errors.notFound(model.name);
  env.facts.rowsReturned = 1;
  env.facts.subjects = collectSubjects(env.bound, model, rows.slice(0, 1), includes.nodes);
  return { row: projectRow(rows[0], { fields: projectionFields(model, fields), includes: includes.projections }, env.hashKey) };
}
