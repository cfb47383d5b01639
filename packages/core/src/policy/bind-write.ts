import { authorizeFilter } from '../authorize/filter.js';
import { OrmAIError } from '../errors.js';
import type { FilterNode } from '../plan/plan.js';
import type { ModelInfo } from '../schema-info.js';
import type { FilterInput } from '../tools/input-schemas.js';
import type { BoundModel } from './bind-policy.js';
import type { ApprovalRule, Policy, WriteOperation, WritePolicy } from './policy-schema.js';

/** Conservative defaults from the checklist: writes are rare, small, explained and rate-limited. */
const WRITE_DEFAULTS = { maxAffectedRows: 100, maxWritesPerMinute: 20, dryRunAbove: 10 };

export interface BoundApprovalRule extends ApprovalRule {
  whenFilter: FilterNode | null;
  /** Fields the rule looks at (fieldsChanged and those in `when`). */
  fields: string[];
}

const filterFields = (node: FilterNode | null): string[] =>
  !node ? [] : node.kind === 'cmp' ? [node.field] : node.kind === 'not' ? filterFields(node.child) : node.children.flatMap(filterFields);

/** A writable foreign key into tenant-scoped data: the referenced row must exist in the caller's tenant. */
interface BoundReference {
  field: string;
  model: string;
  targetKey: string;
}

export interface BoundWrite {
  operations: WriteOperation[];
  references: BoundReference[];
  /** `delete` marks rows instead of removing them. */
  softDelete: boolean;
  writableFields: string[];
  requireReason: boolean;
  maxAffectedRows: number;
  maxWritesPerMinute: number;
  dryRunAbove: number;
  approvals: BoundApprovalRule[];
}

function enabledOperations(write: WritePolicy): WriteOperation[] {
  const ops: WriteOperation[] = [];
  if (write.create) ops.push('create');
  if (write.update) ops.push('update');
  if (write.delete) ops.push('delete');
  if (write.bulkUpdate) ops.push('bulk_update');
  return ops;
}

/** Resolves the soft-delete field (it also hides rows from reads), checking it exists with a usable type. */
export function bindSoftDelete(name: string, info: ModelInfo, write: WritePolicy | undefined, problems: string[]): BoundModel['softDeleteField'] {
  const field = write?.softDeleteField ?? (write?.delete === 'soft' ? 'deletedAt' : undefined);
  if (!field) return null;
  const type = info.fields[field]?.type;
  if (type !== 'date' && type !== 'boolean') {
    problems.push(`models.${name}.write.softDeleteField: '${field}' must be an existing date or boolean field`);
    return null;
  }
  return { name: field, type };
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
  }
  const ruleFields = Object.keys(model.fields).filter((f) => f !== model.tenantField);
  const approvals = (write.approvals ?? []).map((rule): BoundApprovalRule => {
    for (const field of rule.fieldsChanged ?? []) {
      if (!write.writableFields.includes(field)) problems.push(`${at}.approvals.${rule.name}: fieldsChanged '${field}' is not writable`);
    }
    let whenFilter: FilterNode | null = null;
    try {
      whenFilter = rule.when ? authorizeFilter(rule.when as FilterInput, model, ruleFields) : null;
    } catch (error) {
      problems.push(`${at}.approvals.${rule.name}.when: ${OrmAIError.isInstance(error) ? error.message : String(error)}`);
    }
    return { ...rule, whenFilter, fields: [...new Set([...(rule.fieldsChanged ?? []), ...filterFields(whenFilter)])] };
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
