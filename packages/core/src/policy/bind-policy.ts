import { PolicyDefinitionError } from '../errors.js';
import type { FieldInfo, FieldType, ModelInfo, RelationInfo, SchemaInfo } from '../schema-info.js';
import { matchesGlob } from './glob.js';
import type { Budgets, FieldRule, ModelPolicy, Policy, ReadToolName } from './policy-schema.js';
import { bindSoftDelete, bindWrite, type BoundWrite } from './bind-write.js';
import { own } from '../own.js';

export interface BoundField {
  name: string;
  type: FieldType;
  rule: FieldRule;
  indexed: boolean;
  allowNull: boolean;
  values?: string[];
}

/** A policy model resolved against the real schema: every list here is an allow-list the tools check against. */
export interface BoundModel {
  name: string;
  primaryKey: string;
  /** Attribute holding the tenant id, or null for tenant-free reference data. Never readable by the agent. */
  tenantField: string | null;
  fields: Record<string, BoundField>;
  readable: string[];
  filterable: string[];
  indexedFilterable: string[];
  relations: Record<string, RelationInfo>;
  relationNames: string[];
  /** Rows with this field set are soft-deleted: invisible to every read. */
  softDeleteField: { name: string; type: 'date' | 'boolean' } | null;
  write: BoundWrite | null;
}

export interface BoundPolicy {
  policy: Policy;
  models: Record<string, BoundModel>;
  modelNames: string[];
  anyTenantScoped: boolean;
  budgetsFor(model: BoundModel, tool: ReadToolName): Budgets;
}

const SCALAR_TYPES: ReadonlySet<FieldType> = new Set(['string', 'enum', 'integer', 'number', 'boolean', 'date', 'dateonly', 'uuid']);

function resolveRule(field: FieldInfo, model: ModelPolicy, policy: Policy): FieldRule {
  const explicit = own(model.fields ?? {}, field.name);
  if (explicit) return explicit;
  const names = field.column && field.column !== field.name ? [field.name, field.column] : [field.name];
  if (policy.denyFields.some((glob) => names.some((n) => matchesGlob(n, glob)))) return 'deny';
  for (const [glob, strategy] of Object.entries(policy.maskFields)) {
    if (names.some((n) => matchesGlob(n, glob))) return strategy;
  }
  return model.defaultField ?? 'allow';
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
  for (const field of Object.values(info.fields)) {
    const rule = field.name === tenantField ? 'deny' : resolveRule(field, spec, policy);
    fields[field.name] = { name: field.name, type: field.type, rule, indexed: field.indexed || tenantLed.has(field.name), allowNull: field.allowNull, ...(field.values ? { values: field.values } : {}) };
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
    write: null,
  };
  model.write = bindWrite(model, info, spec.write, policy, problems);
  return model;
}

/** Writable foreign keys into tenant-scoped models: each write checks the referenced row is in the caller's tenant. */
function bindReferences(model: BoundModel, info: ModelInfo, models: Record<string, BoundModel>, problems: string[]) {
  if (!model.write) return;
  for (const rel of Object.values(info.relations)) {
    if (rel.kind !== 'belongsTo' || !model.write.writableFields.includes(rel.sourceKey)) continue;
    const target = own(models, rel.target);
    if (!target) {
      problems.push(`models.${model.name}.write.writableFields: '${rel.sourceKey}' refers to '${rel.target}', which is not in the policy (needed to check its tenant)`);
    } else if (target.tenantField !== null) {
      model.write.references.push({ field: rel.sourceKey, model: target.name, targetKey: rel.targetKey });
    }
  }
}

/** Checks the policy against the adapter's schema and resolves every rule once. Throws on any problem, listing all of them. */
export function bindPolicy(policy: Policy, schema: SchemaInfo): BoundPolicy {
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
      }
    }
  }
  for (const model of Object.values(models)) bindReferences(model, schema.models[model.name]!, models, problems);
  if (problems.length) throw new PolicyDefinitionError(problems);

  return {
    policy,
    models,
    modelNames: Object.keys(models),
    anyTenantScoped: Object.values(models).some((m) => m.tenantField !== null),
    budgetsFor: (model, tool) => ({ ...policy.budgets, ...policy.toolBudgets[tool], ...policy.models[model.name]?.budgets }),
  };
}
