import {
  bindPolicy, policyHash, type ApprovalRule, type AuditPolicy, type BoundModel, type Budgets, type FieldRule, type FieldType, type MaskStrategy, type ModelPolicy,
  type GenericToolName, type PartialBudgets, type Policy, type Quotas, type ReadToolName, type RelationKind, type SchemaInfo, type TenantScope, type WriteOperation,
} from '@ormai/core';
import { coreWriteDefaults } from './probe-binding.js';
import { GENERIC_TOOLS, toolsForModel } from './tool-switches.js';

export const READ_TOOLS: ReadToolName[] = ['db_describe_schema', 'db_query', 'db_get', 'db_aggregate'];

/** One field as the agent meets it. */
export interface FieldView {
  name: string;
  type: FieldType;
  rule: FieldRule;
  /** In the agent's results at all (masked or in clear). */
  readable: boolean;
  filterable: boolean;
  writable: boolean;
  masked: MaskStrategy | null;
  indexed: boolean;
}

export interface RelationView {
  name: string;
  /** Null when exported without a schema. */
  kind: RelationKind | 'unsupported' | null;
  target: string | null;
}

export interface WriteView {
  operations: WriteOperation[];
  softDelete: boolean;
  writableFields: string[];
  requireReason: boolean;
  dryRunAbove: number;
  maxAffectedRows: number;
  maxWritesPerMinute: number;
  approvals: ApprovalRule[];
}

export interface ModelView {
  name: string;
  /** Attribute holding the tenant id; null for tenant-free data. */
  tenantField: string | null;
  primaryKey: string | null;
  /** Every field of the schema with its resolved rule; null when exported without a schema. */
  fields: FieldView[] | null;
  /** The rules the policy states for this model (the rest come from globs and defaultField). */
  statedFields: Record<string, FieldRule>;
  defaultField: 'allow' | 'deny';
  relations: RelationView[];
  /** Effective budgets per read tool: global, then the tool's, then the model's. */
  budgets: Record<ReadToolName, Budgets>;
  write: WriteView | null;
  /** The generic tools that can touch this model (the policy's tool switches; write tools only for allowed operations). Empty: domain tools only. */
  tools: GenericToolName[];
}

/** A task-shaped tool the config's OrmAI instance offers (`createOrmAI({ tools })`). */
export interface DomainToolView {
  name: string;
  access: 'read' | 'write';
  description: string;
}

/** What `ormai policy export` writes as JSON, and the Markdown report renders. */
export interface PolicyView {
  policyHash: string;
  /** 'schema': bound to the database's schema; 'policy': the policy's stated rules only. */
  basis: 'schema' | 'policy';
  profile: Policy['profile'];
  readOnly: boolean;
  requireReason: boolean;
  tenantScope: TenantScope;
  denyFields: string[];
  maskFields: Record<string, MaskStrategy>;
  budgets: Budgets;
  toolBudgets: Policy['toolBudgets'];
  quotas: Quotas | null;
  audit: AuditPolicy;
  models: ModelView[];
  /** The generic tools the policy offers at all (`tools`); each model may narrow it. */
  tools: GenericToolName[];
  /** The config's domain tools; null when exported from a policy file (they live in the application's code). */
  domainTools: DomainToolView[] | null;
  policy: Policy;
}

/** Budgets layer: global, then toolBudgets[tool], then the model's; an undefined value overrides nothing. */
export function layerBudgets(base: Budgets, ...overrides: Array<PartialBudgets | undefined>): Budgets {
  const merged = { ...base };
  for (const override of overrides) {
    for (const key of Object.keys(merged) as Array<keyof Budgets>) merged[key] = override?.[key] ?? merged[key];
  }
  return merged;
}

const budgetsPerTool = (policy: Policy, model: string): Record<ReadToolName, Budgets> =>
  Object.fromEntries(READ_TOOLS.map((tool) => [tool, layerBudgets(policy.budgets, policy.toolBudgets[tool], policy.models[model]?.budgets)])) as Record<ReadToolName, Budgets>;

const maskOf = (rule: FieldRule): MaskStrategy | null => (rule === 'allow' || rule === 'deny' ? null : rule);

function boundModelView(model: BoundModel, spec: ModelPolicy, policy: Policy): Omit<ModelView, 'tools'> {
  const write = model.write;
  return {
    name: model.name,
    tenantField: model.tenantField,
    primaryKey: model.primaryKey,
    fields: Object.values(model.fields).map((f) => ({
      name: f.name,
      type: f.type,
      rule: f.rule,
      readable: model.readable.includes(f.name),
      filterable: model.filterable.includes(f.name),
      writable: write?.writableFields.includes(f.name) ?? false,
      masked: maskOf(f.rule),
      indexed: f.indexed,
    })),
    statedFields: { ...spec.fields },
    defaultField: spec.defaultField ?? 'allow',
    relations: Object.entries(model.relations).map(([name, rel]) => ({ name, kind: rel.kind, target: rel.target })),
    budgets: budgetsPerTool(policy, model.name),
    write: write && {
      operations: write.operations,
      softDelete: write.softDelete,
      writableFields: write.writableFields,
      requireReason: write.requireReason,
      dryRunAbove: write.dryRunAbove,
      maxAffectedRows: write.maxAffectedRows,
      maxWritesPerMinute: write.maxWritesPerMinute,
      approvals: write.approvals.map(({ name, operations, fieldsChanged, when, approverRoles, slaMs }) => ({ name, operations, ...(fieldsChanged ? { fieldsChanged } : {}), ...(when ? { when } : {}), approverRoles, slaMs })),
    },
  };
}

const OPERATION_FLAGS: Array<[WriteOperation, (w: NonNullable<ModelPolicy['write']>) => unknown]> = [
  ['create', (w) => w.create], ['update', (w) => w.update], ['delete', (w) => w.delete], ['bulk_update', (w) => w.bulkUpdate],
];

/** Without a schema: what the policy states, with core's defaults filled in where it states nothing. */
function statedModelView(name: string, spec: ModelPolicy, policy: Policy): Omit<ModelView, 'tools'> {
  const scope = spec.tenantScope ?? policy.tenantScope;
  const write = spec.write;
  const defaults = coreWriteDefaults();
  return {
    name,
    tenantField: scope === false ? null : scope.field,
    primaryKey: null,
    fields: null,
    statedFields: { ...spec.fields },
    defaultField: spec.defaultField ?? 'allow',
    relations: (spec.relations ?? []).map((relation) => ({ name: relation, kind: null, target: null })),
    budgets: budgetsPerTool(policy, name),
    write: write
      ? {
          operations: OPERATION_FLAGS.filter(([, enabled]) => enabled(write)).map(([op]) => op),
          softDelete: write.delete === 'soft',
          writableFields: write.writableFields,
          requireReason: write.requireReason ?? policy.requireReason,
          dryRunAbove: write.dryRunAbove ?? defaults.dryRunAbove,
          maxAffectedRows: write.maxAffectedRows ?? defaults.maxAffectedRows,
          maxWritesPerMinute: write.maxWritesPerMinute ?? defaults.maxWritesPerMinute,
          approvals: write.approvals ?? [],
        }
      : null,
  };
}

/** The policy, its hash and, given the schema, every model and field resolved as the tools will enforce them. Throws PolicyDefinitionError when the policy does not bind. */
export function buildPolicyView(policy: Policy, schema?: SchemaInfo, domainTools?: DomainToolView[]): PolicyView {
  const bound = schema ? bindPolicy(policy, schema) : null;
  const models = Object.entries(policy.models)
    .map(([name, spec]) => (bound ? boundModelView(bound.models[name]!, spec, policy) : statedModelView(name, spec, policy)))
    .map((model) => ({ ...model, tools: toolsForModel(policy, model.name, model.write?.operations ?? []) }));
  return {
    policyHash: policyHash(policy),
    basis: bound ? 'schema' : 'policy',
    profile: policy.profile,
    readOnly: policy.readOnly,
    requireReason: policy.requireReason,
    tenantScope: policy.tenantScope,
    denyFields: policy.denyFields,
    maskFields: policy.maskFields,
    budgets: policy.budgets,
    toolBudgets: policy.toolBudgets,
    quotas: policy.quotas ?? null,
    audit: policy.audit,
    models,
    tools: GENERIC_TOOLS.filter((tool) => policy.tools?.includes(tool) ?? true),
    domainTools: domainTools ?? null,
    policy,
  };
}
