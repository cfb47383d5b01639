import { errors } from '../errors.js';
import type { BoundModel } from '../policy/bind-policy.js';
import { and, TRUE, type FilterNode } from '../plan/plan.js';

/**
 * The predicate every node of every plan gets, root and included alike: the caller's tenant, and
 * "not soft-deleted" where the model has a soft-delete field.
 */
export function scopePredicate(model: BoundModel, tenantId: string | null): FilterNode {
  const parts: FilterNode[] = [];
  if (model.tenantField !== null) {
    if (tenantId === null) throw errors.internal(); // createOrmAI refuses such contexts first; fail closed regardless.
    parts.push({ kind: 'cmp', field: model.tenantField, op: 'eq', value: tenantId });
  }
  const soft = model.softDeleteField;
  if (soft) {
    parts.push(
      soft.type === 'boolean'
        ? { kind: 'or', children: [{ kind: 'cmp', field: soft.name, op: 'is_null', value: true }, { kind: 'cmp', field: soft.name, op: 'eq', value: false }] }
        : { kind: 'cmp', field: soft.name, op: 'is_null', value: true },
    );
  }
  return parts.length ? and(...parts) : TRUE;
}
