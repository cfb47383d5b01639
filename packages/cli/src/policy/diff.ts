import type { Budgets, Policy, QuotaName, SchemaInfo } from '@ormai/core';
import { isPolicyDefinitionError } from './policy-source.js';
import { byNumber, DIFF_GROUPS, type PolicyChange } from './diff-change.js';
import { diffBoundFields, diffGlobs, diffStatedFields } from './diff-fields.js';
import { diffGlobalTools, diffModelTools } from './diff-tools.js';
import { diffApprovals, diffModelWrites } from './diff-writes.js';
import { buildPolicyView, layerBudgets, type ModelView, type PolicyView } from './policy-view.js';

export interface PolicyDiff {
  from: string;
  to: string;
  /** 'schema': field rules compared as the tools resolve them; 'policy': as the policies state them. */
  basis: 'schema' | 'policy';
  grants: number;
  restricts: number;
  changes: PolicyChange[];
}

const PROFILE_RANK: Record<Policy['profile'], number> = { prod: 0, internal: 1, dev: 2 };
const BUDGET_KEYS: Array<keyof Budgets> = ['maxRows', 'maxScanRows', 'statementTimeoutMs', 'maxJoinDepth'];
const QUOTA_NAMES: QuotaName[] = ['toolCallsPerMinute', 'rowsPerHour', 'rowsPerDay', 'writesPerDay'];

/** Both views on the schema when both policies bind to it; else both on what they state (a mixed comparison would report noise). */
function views(a: Policy, b: Policy, schema: SchemaInfo | undefined): [PolicyView, PolicyView] {
  if (schema) {
    try {
      return [buildPolicyView(a, schema), buildPolicyView(b, schema)];
    } catch (error) {
      if (!isPolicyDefinitionError(error)) throw error;
    }
  }
  return [buildPolicyView(a), buildPolicyView(b)];
}

function diffGlobal(a: Policy, b: Policy): PolicyChange[] {
  const changes: PolicyChange[] = [];
  if (a.profile !== b.profile) {
    const effect = PROFILE_RANK[b.profile] > PROFILE_RANK[a.profile] ? 'grant' : 'restrict';
    changes.push({ group: 'profile', effect, at: 'profile', message: `profile ${a.profile} → ${b.profile}` });
  }
  if (a.readOnly !== b.readOnly) {
    changes.push({ group: 'writes', effect: b.readOnly ? 'restrict' : 'grant', at: 'readOnly', message: b.readOnly ? 'the policy is now read-only: no model can be changed' : 'the policy is no longer read-only: models with a write section can be changed' });
  }
  if (a.requireReason !== b.requireReason) {
    changes.push({ group: 'reasons', effect: b.requireReason ? 'restrict' : 'grant', at: 'requireReason', message: `writes ${b.requireReason ? 'now require' : 'no longer require'} a reason by default` });
  }
  const scope = (p: Policy) => (p.tenantScope === false ? 'none' : p.tenantScope.field);
  if (scope(a) !== scope(b)) changes.push({ group: 'tenancy', effect: 'change', at: 'tenantScope', message: `default tenant scope ${scope(a)} → ${scope(b)}` });
  return changes;
}

function diffModels(va: PolicyView, vb: PolicyView): PolicyChange[] {
  const before = new Map(va.models.map((m) => [m.name, m]));
  const after = new Map(vb.models.map((m) => [m.name, m]));
  const changes: PolicyChange[] = [];
  for (const [name, model] of after) {
    const old = before.get(name);
    if (!old) {
      const readable = model.fields?.filter((f) => f.readable).map((f) => (f.masked ? `${f.name} (${f.masked})` : f.name));
      changes.push({ group: 'models', effect: 'grant', at: name, message: `model ${name} added${readable ? `: the agent reads ${readable.join(', ') || 'no fields'}` : ''}${model.write?.operations.length ? `, may ${model.write.operations.join(', ')}` : ''}` });
      continue;
    }
    changes.push(...diffModel(old, model, va.basis === 'schema' ? null : [va.policy, vb.policy]), ...diffModelTools(old, model, va.policy, vb.policy));
  }
  for (const name of before.keys()) if (!after.has(name)) changes.push({ group: 'models', effect: 'restrict', at: name, message: `model ${name} removed: the agent can no longer reach it` });
  return changes;
}

/** `stated`: both policies, when there is no schema to resolve field rules against. */
function diffModel(before: ModelView, after: ModelView, stated: [Policy, Policy] | null): PolicyChange[] {
  const name = after.name;
  const changes: PolicyChange[] = [];
  if (before.tenantField !== after.tenantField) {
    const effect = after.tenantField === null ? 'grant' : before.tenantField === null ? 'restrict' : 'change';
    const message = after.tenantField === null ? `${name} is no longer tenant-scoped: the agent reads every tenant's rows` : before.tenantField === null ? `${name} is now tenant-scoped on ${after.tenantField}` : `${name}: tenant field ${before.tenantField} → ${after.tenantField}`;
    changes.push({ group: 'tenancy', effect, at: `${name}.tenantScope`, message });
  }
  changes.push(...(stated ? diffStatedFields(before, after, ...stated) : diffBoundFields(before, after)));
  const [wasRel, isRel] = [before.relations.map((r) => r.name), after.relations.map((r) => r.name)];
  for (const r of isRel.filter((x) => !wasRel.includes(x))) changes.push({ group: 'relations', effect: 'grant', at: `${name}.${r}`, message: `${name}: may now include ${r}` });
  for (const r of wasRel.filter((x) => !isRel.includes(x))) changes.push({ group: 'relations', effect: 'restrict', at: `${name}.${r}`, message: `${name}: may no longer include ${r}` });
  changes.push(...diffModelWrites(before, after), ...diffApprovals(before, after));
  return changes;
}

/** Budgets where a layer's stated value changed, judged by the effective value at that layer. */
function diffBudgets(a: Policy, b: Policy): PolicyChange[] {
  const changes: PolicyChange[] = [];
  for (const key of BUDGET_KEYS) changes.push(...byNumber('budgets', `budgets.${key}`, `${key}`, a.budgets[key], b.budgets[key]));
  const tools = new Set([...Object.keys(a.toolBudgets), ...Object.keys(b.toolBudgets)]) as Set<keyof Policy['toolBudgets']>;
  for (const tool of tools) {
    const [ea, eb] = [layerBudgets(a.budgets, a.toolBudgets[tool]), layerBudgets(b.budgets, b.toolBudgets[tool])];
    for (const key of BUDGET_KEYS) {
      if (a.toolBudgets[tool]?.[key] !== b.toolBudgets[tool]?.[key]) changes.push(...byNumber('budgets', `toolBudgets.${tool}.${key}`, `${tool} ${key}`, ea[key], eb[key]));
    }
  }
  for (const model of Object.keys(b.models).filter((m) => a.models[m])) {
    const [sa, sb] = [a.models[model]!.budgets, b.models[model]!.budgets];
    const [ea, eb] = [layerBudgets(a.budgets, sa), layerBudgets(b.budgets, sb)];
    for (const key of BUDGET_KEYS) if (sa?.[key] !== sb?.[key]) changes.push(...byNumber('budgets', `models.${model}.budgets.${key}`, `${model} ${key}`, ea[key], eb[key]));
  }
  return changes;
}

function diffQuotasAndAudit(a: Policy, b: Policy): PolicyChange[] {
  const changes: PolicyChange[] = [];
  for (const quota of QUOTA_NAMES) changes.push(...byNumber('quotas', `quotas.${quota}`, `quota ${quota}`, a.quotas?.[quota], b.quotas?.[quota]));
  const [sa, sb] = [a.quotas?.onStoreFailure ?? 'none', b.quotas?.onStoreFailure ?? 'none'];
  if (sa !== sb && sa !== 'none' && sb !== 'none') {
    changes.push({ group: 'quotas', effect: sb === 'continue' ? 'grant' : 'restrict', at: 'quotas.onStoreFailure', message: sb === 'continue' ? 'reads now run unmetered when the budget store is down (continue)' : 'reads are now refused when the budget store is down (fail_closed)' });
  }
  if (a.audit.onFailure !== b.audit.onFailure) {
    changes.push({ group: 'audit', effect: b.audit.onFailure === 'continue' ? 'grant' : 'restrict', at: 'audit.onFailure', message: b.audit.onFailure === 'continue' ? 'calls now continue unaudited when the audit sink fails (continue)' : 'calls are now refused when the audit sink fails (fail_closed)' });
  }
  for (const tier of ['hotDays', 'warmDays', 'coldDays'] as const) {
    if (a.audit.retention[tier] !== b.audit.retention[tier]) changes.push({ group: 'audit', effect: 'change', at: `audit.retention.${tier}`, message: `audit retention ${tier} ${a.audit.retention[tier]} → ${b.audit.retention[tier]}` });
  }
  const [subA, subB] = [Object.keys(a.audit.subjects), Object.keys(b.audit.subjects)];
  for (const s of subB.filter((x) => !subA.includes(x))) changes.push({ group: 'audit', effect: 'change', at: `audit.subjects.${s}`, message: `audit subject ${s} added` });
  for (const s of subA.filter((x) => !subB.includes(x))) changes.push({ group: 'audit', effect: 'change', at: `audit.subjects.${s}`, message: `audit subject ${s} removed` });
  return changes;
}

/** What changing policy `a` into `b` grants, removes or changes, grouped. With the schema, field rules are compared as resolved. */
export function diffPolicies(a: Policy, b: Policy, schema?: SchemaInfo): PolicyDiff {
  const [va, vb] = views(a, b, schema);
  const changes = [
    ...diffGlobal(a, b),
    ...diffGlobalTools(a, b),
    ...diffModels(va, vb),
    ...(va.basis === 'policy' ? diffGlobs(a, b) : []),
    ...diffBudgets(a, b),
    ...diffQuotasAndAudit(a, b),
  ].sort((x, y) => DIFF_GROUPS.indexOf(x.group) - DIFF_GROUPS.indexOf(y.group));
  return {
    from: va.policyHash,
    to: vb.policyHash,
    basis: va.basis,
    grants: changes.filter((c) => c.effect === 'grant').length,
    restricts: changes.filter((c) => c.effect === 'restrict').length,
    changes,
  };
}
