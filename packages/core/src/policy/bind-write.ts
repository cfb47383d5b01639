import { authorizeFilter } from '../authorize/filter.js';
import { OrmAIError } from '../errors.js';
import type { FilterNode } from '../spec/plan.js';
import { ANY_FIELD, type ModelInfo } from '../schema-info.js';
import type { FilterInput } from '../spec/tool-inputs.js';
import type { BoundApprovalRule, BoundModel, BoundWrite } from '../spec/bound-policy.js';
import type { ApprovalRule, Policy, WriteOperation, WritePolicy } from '../spec/policy.js';

/** Conservative defaults from the checklist: writes are rare, small, explained and rate-limited. */
const WRITE_DEFAULTS = { maxAffectedRows: 100, maxWritesPerMinute: 20, dryRunAbove: 10 };

const filterFields = (node: FilterNode | null): string[] =>
  !node ? [] : node.kind === 'cmp' ? [node.field] : node.kind === 'not' ? filterFields(node.child) : node.children.flatMap(filterFields);

function enabledOperations(write: WritePolicy): WriteOperation[] {
  const ops: WriteOperation[] = [];
  if (write.create) ops.push('create');
  if (write.update) ops.push('update');
  if (write.delete) ops.push('delete');
  if (write.bulkUpdate) ops.push('bulk_update');
  return ops;
}

/**
 * Resolves the soft-delete field (it also hides rows from reads), checking it exists with a usable type.
 * A paranoid model has one whatever the policy says: the application's soft-deleted rows are never shown.
 */
export function bindSoftDelete(name: string, info: ModelInfo, write: WritePolicy | undefined, problems: string[]): BoundModel['softDeleteField'] {
  const paranoid = info.softDelete?.field;
  if (paranoid && write?.softDeleteField !== undefined && write.softDeleteField !== paranoid) {
    problems.push(`models.${name}.write.softDeleteField: the model is paranoid and soft-deleted through '${paranoid}'; remove softDeleteField or set it to '${paranoid}'`);
  }
  if (paranoid && write?.delete === true) {
    problems.push(`models.${name}.write.delete: the model is paranoid: use delete: 'soft' (a hard delete would remove rows the application only soft-deletes)`);
  }
  const field = paranoid ?? write?.softDeleteField ?? (write?.delete === 'soft' ? 'deletedAt' : undefined);
  if (!field) return null;
  const type = info.fields[field]?.type;
  if (type !== 'date' && type !== 'boolean') {
    problems.push(`models.${name}.write.softDeleteField: '${field}' must be an existing date or boolean field`);
    return null;
  }
  return { name: field, type };
}

/**
 * A writable field must be one the agent reads in clear, or a masked one the policy opts into with
 * maskedWritableFields. `hash` and denied fields never are: the result of writing a chosen value would
 * be a dictionary oracle (hash), or the write itself a way to use a secret.
 */
function checkReadableForWrite(model: BoundModel, write: WritePolicy, field: string, at: string, problems: string[]) {
  const rule = model.fields[field]!.rule;
  if (rule === 'allow') return;
  if (rule === 'deny' || rule === 'hash') {
    problems.push(`${at}.writableFields: '${field}' is ${rule === 'deny' ? 'denied' : "masked with 'hash'"} and can never be writable`);
  } else if (!write.maskedWritableFields?.includes(field)) {
    problems.push(`${at}.writableFields: '${field}' is masked ('${rule}'); list it in maskedWritableFields too to let the agent set it without reading it`);
  }
}

/**
 * A unique constraint answers "taken" or "free" for the value a write tries. On a key that spans tenants
 * that is a fact about other tenants' data; on a masked field it confirms a value the agent cannot read;
 * on a model whose rows the application hides (soft-deleted, outside its default scope) it answers for
 * rows no read shows. Each needs the policy to acknowledge it, field by field. A key part the adapter
 * cannot name (an expression) may be any field.
 */
function checkUniqueOracles(model: BoundModel, info: ModelInfo, write: WritePolicy, at: string, problems: string[]) {
  const acknowledged = new Set(write.acknowledgeUniqueOracle ?? []);
  const hidesRows = model.softDeleteField !== null || model.applicationFilter !== null;
  for (const key of info.uniqueKeys ?? []) {
    const spansTenants = model.tenantField !== null && !key.includes(model.tenantField);
    const covered = key.includes(ANY_FIELD) ? write.writableFields : key.filter((f) => write.writableFields.includes(f));
    const shown = key.join(', ');
    for (const field of covered.filter((f) => !acknowledged.has(f))) {
      if (spansTenants) {
        problems.push(`${at}.writableFields: '${field}' is under a unique constraint across tenants (${shown}): a write would tell the agent whether another tenant uses a value. Make the constraint per tenant, or list it in acknowledgeUniqueOracle`);
      } else if (model.fields[field]?.rule !== 'allow') {
        problems.push(`${at}.writableFields: masked '${field}' is under a unique constraint (${shown}): a write would confirm a value the agent cannot read. List it in acknowledgeUniqueOracle to accept that`);
      } else if (hidesRows) {
        problems.push(`${at}.writableFields: '${field}' is under a unique constraint (${shown}) that also covers rows the agent cannot see (soft-deleted or outside the default scope): a write would tell whether such a row holds a value. List it in acknowledgeUniqueOracle to accept that`);
      }
    }
  }
}

export function bindWrite(model: BoundModel, info: ModelInfo, write: WritePolicy | undefined, policy: Policy, problems: string[]): BoundWrite | null {
  if (!write) return null;
  const at = `models.${model.name}.write`;
  const operations = enabledOperations(write);
  if (operations.length && policy.readOnly) problems.push(`${at}: the policy is readOnly (set readOnly: false to enable writes)`);
  for (const field of write.writableFields) {
    const never = field === model.tenantField || field === model.primaryKey || field === model.softDeleteField?.name || info.fields[field]?.managed;
    if (!info.fields[field]) problems.push(`${at}.writableFields: no such field '${field}'`);
    else if (never) problems.push(`${at}.writableFields: '${field}' can never be writable (tenant, primary key, soft-delete or timestamp field)`);
    else checkReadableForWrite(model, write, field, at, problems);
  }
  for (const field of write.maskedWritableFields ?? []) {
    if (!write.writableFields.includes(field)) problems.push(`${at}.maskedWritableFields: '${field}' is not in writableFields`);
  }
  checkUniqueOracles(model, info, write, at, problems);
  // Rules may only look at what the agent reads in clear: which rule fires would otherwise tell it a hidden value.
  const ruleFields = Object.keys(model.fields).filter((f) => model.fields[f]!.rule === 'allow' && f !== model.tenantField);
  const approvals = (write.approvals ?? []).map((rule): BoundApprovalRule => {
    for (const field of rule.fieldsChanged ?? []) {
      if (!write.writableFields.includes(field)) problems.push(`${at}.approvals.${rule.name}: fieldsChanged '${field}' is not writable`);
    }
    // A masked field counts as changed whenever it is written: comparing it would confirm its current value.
    const blind = (rule.fieldsChanged ?? []).filter((f) => model.fields[f]?.rule !== 'allow');
    let whenFilter: FilterNode | null = null;
    try {
      whenFilter = rule.when ? authorizeFilter(rule.when as FilterInput, model, ruleFields) : null;
    } catch (error) {
      problems.push(`${at}.approvals.${rule.name}.when: ${OrmAIError.isInstance(error) ? error.message : String(error)}`);
    }
    return { ...rule, whenFilter, blindFields: blind, fields: [...new Set([...(rule.fieldsChanged ?? []), ...filterFields(whenFilter)])] };
  });
  return {
    operations,
    references: [],
    softDelete: write.delete === 'soft',
    writableFields: write.writableFields,
    requireReason: write.requireReason ?? policy.requireReason,
    maxAffectedRows: write.maxAffectedRows ?? WRITE_DEFAULTS.maxAffectedRows,
    maxWritesPerMinute: write.maxWritesPerMinute ?? WRITE_DEFAULTS.maxWritesPerMinute,
    dryRunAbove: write.dryRunAbove ?? WRITE_DEFAULTS.dryRunAbove,
    approvals,
  };
}
