import { errors } from '../errors.js';
import type { BoundModel } from '../spec/bound-policy.js';
import { and, TRUE } from '../plan/plan.js';
import type { FilterNode } from '../spec/plan.js';

/** Rows of the caller's tenant: carried by every statement a call runs, writes and reloads included. */
export function tenantPredicate(model: BoundModel, tenantId: string | null): FilterNode {
  if (model.tenantField === null) return TRUE;
  if (tenantId === null) throw errors.internal(); // createOrmAI refuses such contexts first; fail closed regardless.
  return { kind: 'cmp', field: model.tenantField, op: 'eq', value: tenantId };
}

/**
 * The predicate every node of every plan gets, root and included alike: the caller's tenant,
 * "not soft-deleted" where the model has a soft-delete field (or is paranoid), and the rows the
 * application's own default scope shows.
 */
export function scopePredicate(model: BoundModel, tenantId: string | null): FilterNode {
  const parts: FilterNode[] = [tenantPredicate(model, tenantId)];
  const soft = model.softDeleteField;
  if (soft) {
    parts.push(
      soft.type === 'boolean'
        ? { kind: 'or', children: [{ kind: 'cmp', field: soft.name, op: 'is_null', value: true }, { kind: 'cmp', field: soft.name, op: 'eq', value: false }] }
        : { kind: 'cmp', field: soft.name, op: 'is_null', value: true },
    );
  }
  if (model.applicationFilter) parts.push(model.applicationFilter);
  return and(...parts);
}
