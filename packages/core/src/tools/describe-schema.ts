import { operatorsFor } from '../authorize/filter.js';
import type { BoundModel } from '../spec/bound-policy.js';
import type { DescribeSchemaInput } from '../spec/tool-inputs.js';
import type { DescribedModel, DescribeSchemaResult } from '../spec/tools.js';
import { requireModel, type ToolEnv } from './tool-env.js';

/** Only what the policy allows: denied fields, the tenant field and relations not granted are simply absent. */
function describeModel(model: BoundModel, env: ToolEnv): DescribedModel {
  const budgets = env.bound.budgetsFor(model, 'db_query');
  return {
    name: model.name,
    primaryKey: model.primaryKey,
    fields: model.readable.map((name) => {
      const f = model.fields[name]!;
      const filterable = model.filterable.includes(name);
      return {
        name,
        type: f.type,
        ...(f.rule !== 'allow' ? { masked: f.rule } : {}),
        filterable,
        ...(filterable && f.indexed ? { indexed: true as const } : {}),
        ...(f.values && f.rule === 'allow' ? { values: f.values } : {}),
      };
    }),
    // Only relations into models the describe tool may show (see toolView).
    relations: model.relationNames.filter((name) => env.bound.modelNames.includes(model.relations[name]!.target)).map((name) => {
      const rel = model.relations[name]!;
      return { name, target: rel.target, many: rel.kind === 'hasMany' };
    }),
    budgets: { maxRows: budgets.maxRows, maxScanRows: budgets.maxScanRows, maxJoinDepth: budgets.maxJoinDepth },
  };
}

export function runDescribeSchema(input: DescribeSchemaInput, env: ToolEnv): DescribeSchemaResult {
  const models = input.model ? [requireModel(env, input.model)] : env.bound.modelNames.map((n) => env.bound.models[n]!);
  const types = new Set(models.flatMap((m) => m.readable.map((f) => m.fields[f]!.type)));
  return {
    models: models.map((m) => describeModel(m, env)),
    operators: Object.fromEntries([...types].map((t) => [t, operatorsFor(t)])),
    guidance: [
      'Rows are limited to the current tenant automatically; never filter by tenant.',
      'Filter and sort on indexed fields to stay within the scan budget.',
      'Page with nextCursor; contains/starts_with/ends_with are case-insensitive.',
    ],
  };
}
