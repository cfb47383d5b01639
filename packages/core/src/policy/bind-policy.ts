import { bindSubjects } from './bind-subjects.js';
import { PolicyDefinitionError } from '../errors.js';
import type { FieldInfo, FieldType, ModelInfo, RelationInfo, SchemaInfo } from '../schema-info.js';
import { globRule, nestedKeyRule } from './glob-rule.js';
import { bindApplicationFilter } from './bind-app-scope.js';
import type { FilterNode } from '../spec/plan.js';
import type { Budgets, FieldRule, ModelPolicy, Policy, ReadToolName } from '../spec/policy.js';
import { bindSoftDelete, bindWrite } from './bind-write.js';
import type { BoundField, BoundModel, BoundPolicy } from '../spec/bound-policy.js';
import { own } from '../own.js';
import { mergeBudgets } from './merge-budgets.js';
import type { FieldSanitizers } from '../spec/domain-tools.js';

const SCALAR_TYPES: ReadonlySet<FieldType> = new Set(['string', 'enum', 'integer', 'number', 'boolean', 'date', 'dateonly', 'uuid']);

function resolveRule(field: FieldInfo, model: ModelPolicy, policy: Policy, at: string, problems: string[]): FieldRule {
  const explicit = own(model.fields ?? {}, field.name);
  if (field.hidden) {
    // The application never reads it: neither may the agent.
    if (explicit && explicit !== 'deny') problems.push(`${at}.fields.${field.name}: the model's defaultScope excludes it, so it is always denied; remove the rule`);
    return 'deny';
  }
  if (explicit) return explicit;
  const names = field.column && field.column !== field.name ? [field.name, field.column] : [field.name];
  return globRule(names, policy) ?? model.defaultField ?? 'allow';
}

function bindModel(name: string, info: ModelInfo, spec: ModelPolicy, policy: Policy, problems: string[]): BoundModel {
  const scope = spec.tenantScope ?? policy.tenantScope;
  const tenantField = scope === false ? null : scope.field;
  if (tenantField !== null && !own(info.fields, tenantField)) {
    problems.push(
      `models.${name}: tenant field '${tenantField}' does not exist; add it, or mark the model tenantScope: false if it is shared reference data`,
    );
  }
  for (const field of Object.keys(spec.fields ?? {})) {
    if (!own(info.fields, field)) problems.push(`models.${name}.fields.${field}: no such field`);
  }
  if (info.primaryKey.length !== 1) problems.push(`models.${name}: exactly one primary key column is required`);

  // Every query carries the tenant predicate, so an index led by the tenant field serves its second column too.
  const tenantLed = new Set((info.indexes ?? []).filter((ix) => ix[0] === tenantField && ix[1]).map((ix) => ix[1]!));
  const fields: Record<string, BoundField> = {};
  const nested = nestedKeyRule(policy);
  for (const field of Object.values(info.fields)) {
    const rule = field.name === tenantField ? 'deny' : resolveRule(field, spec, policy, `models.${name}`, problems);
    fields[field.name] = { name: field.name, type: field.type, rule, indexed: field.indexed || tenantLed.has(field.name), allowNull: field.allowNull, ...(field.values ? { values: field.values } : {}), nested, ...(field.integerBits ? { integerBits: field.integerBits } : {}) };
  }
  const pk = info.primaryKey[0];
  if (pk && fields[pk] && fields[pk].rule !== 'allow') {
    // Ids travel in cursors, db_get and write results: a denied or masked key would leak through them.
    problems.push(`models.${name}: primary key '${pk}' must be readable ('allow'); it is '${fields[pk].rule}'`);
  }
  const all = Object.values(fields);
  const readable = all.filter((f) => f.rule !== 'deny').map((f) => f.name);
  // Masked fields are not filterable or sortable: comparisons would reveal their clear value.
  const filterable = all.filter((f) => f.rule === 'allow' && SCALAR_TYPES.has(f.type)).map((f) => f.name);

  const relations: Record<string, RelationInfo> = {};
  for (const relation of spec.relations ?? []) {
    const rel = own(info.relations, relation);
    if (!rel) problems.push(`models.${name}.relations: no relation '${relation}'`);
    else if (rel.kind === 'unsupported') problems.push(`models.${name}.relations: '${relation}' is a many-to-many relation, not supported yet`);
    else relations[relation] = rel;
  }

  const model: BoundModel = {
    name,
    primaryKey: info.primaryKey[0] ?? '',
    tenantField,
    fields,
    readable,
    filterable,
    indexedFilterable: filterable.filter((f) => fields[f]!.indexed),
    relations,
    relationNames: Object.keys(relations),
    softDeleteField: bindSoftDelete(name, info, spec.write, problems),
    applicationFilter: bindApplicationFilter(name, info, problems),
    write: null,
    subjectKeys: [],
  };
  model.write = bindWrite(model, info, spec.write, policy, problems);
  return model;
}

/**
 * What a writable field points at, from every place the schema says so: a belongsTo on this model, a
 * hasMany/hasOne declared on the other side, or the column's own foreign key. Whichever side declared it,
 * the check is the same.
 */
function referencesOf(model: string, field: string, schema: SchemaInfo): Array<{ model: string; key: string }> {
  const found: Array<{ model: string; key: string }> = [];
  for (const rel of Object.values(schema.models[model]!.relations)) {
    if (rel.kind === 'belongsTo' && rel.sourceKey === field) found.push({ model: rel.target, key: rel.targetKey });
  }
  for (const other of Object.values(schema.models)) {
    for (const rel of Object.values(other.relations)) {
      if ((rel.kind === 'hasMany' || rel.kind === 'hasOne') && rel.target === model && rel.targetKey === field) found.push({ model: other.name, key: rel.sourceKey });
    }
  }
  const declared = schema.models[model]!.fields[field]?.references;
  if (declared) {
    const target = own(schema.models, declared.model);
    const key = target && Object.values(target.fields).find((f) => f.name === declared.key || f.column === declared.key)?.name;
    found.push({ model: declared.model, key: key ?? declared.key });
  }
  return found.filter((r, i) => found.findIndex((o) => o.model === r.model && o.key === r.key) === i);
}

/** Writable foreign keys into tenant-scoped models: each write checks the referenced row is in the caller's tenant. */
function bindReferences(model: BoundModel, schema: SchemaInfo, models: Record<string, BoundModel>, problems: string[]) {
  if (!model.write) return;
  for (const field of model.write.writableFields) {
    for (const ref of referencesOf(model.name, field, schema)) {
      const target = own(models, ref.model);
      const at = `models.${model.name}.write.writableFields: '${field}' refers to '${ref.model}'`;
      if (!target) {
        problems.push(`${at}, which is not in the policy (needed to check its tenant); add it, with tenantScope: false if it is shared reference data`);
      } else if (!own(target.fields, ref.key)) {
        problems.push(`${at}.${ref.key}, which OrmAI cannot check (no such attribute); declare the association with its keys`);
      } else if (target.tenantField !== null) {
        model.write.references.push({ field, model: target.name, targetKey: ref.key });
      }
    }
  }
}

/** Checks the policy against the adapter's schema and resolves every rule once. Throws on any problem, listing all of them. */
export function bindPolicy(policy: Policy, schema: SchemaInfo, options: { sanitizers?: FieldSanitizers | undefined } = {}): BoundPolicy {
  const problems: string[] = [];
  const models: Record<string, BoundModel> = {};
  for (const [name, spec] of Object.entries(policy.models)) {
    const info = own(schema.models, name);
    if (!info) {
      problems.push(`models.${name}: no such model (known: ${Object.keys(schema.models).join(', ')})`);
      continue;
    }
    models[name] = bindModel(name, info, spec, policy, problems);
  }
  for (const model of Object.values(models)) {
    for (const [relName, rel] of Object.entries(model.relations)) {
      const target = own(models, rel.target);
      if (!target) {
        problems.push(`models.${model.name}.relations.${relName}: leads to '${rel.target}', which is not in the policy`);
      } else if (model.tenantField !== null && target.tenantField === null && policy.models[rel.target]?.tenantScope !== false) {
        problems.push(
          `models.${model.name}.relations.${relName}: '${rel.target}' has no tenant field; mark it tenantScope: false if it is tenant-free reference data`,
        );
      } else {
        // The included row shows its key: joined on a masked or denied key, it would show that key's value in clear.
        const keys: Array<[BoundModel, string]> = [[model, rel.sourceKey], [target, rel.targetKey]];
        for (const [side, key] of keys.filter(([side, key]) => side.fields[key]?.rule !== 'allow')) {
          problems.push(`models.${model.name}.relations.${relName}: it joins on '${side.name}.${key}', which the agent cannot read in clear; join keys must be 'allow' on both sides`);
        }
      }
    }
  }
  for (const model of Object.values(models)) bindReferences(model, schema, models, problems);
  for (const [name, fields] of Object.entries(options.sanitizers ?? {})) {
    for (const [fieldName, sanitizer] of Object.entries(fields)) {
      // A sanitizer for a field not marked 'sanitize' would never run: a mistake to report, not ignore.
      const field = own(models, name) && own(models[name]!.fields, fieldName);
      if (field && field.rule === 'sanitize') field.sanitizer = sanitizer;
      else problems.push(`sanitizers.${name}.${fieldName}: not a field the policy marks 'sanitize'`);
    }
  }
  bindSubjects(policy.audit?.subjects ?? {}, models, problems);
  if (problems.length) throw new PolicyDefinitionError(problems);

  return {
    policy,
    models,
    modelNames: Object.keys(models),
    anyTenantScoped: Object.values(models).some((m) => m.tenantField !== null),
    budgetsFor: (model, tool) => mergeBudgets(policy.budgets, policy.toolBudgets[tool], policy.models[model.name]?.budgets),
  };
}
