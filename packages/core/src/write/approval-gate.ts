import type { Row } from '../spec/adapter.js';
import type { BoundModel } from '../spec/bound-policy.js';
import type { BoundApprovalRule } from '../spec/bound-policy.js';
import type { WriteOperation } from '../spec/policy.js';
import { evaluateFilter } from './evaluate-filter.js';

const sameValue = (a: unknown, b: unknown) => a === b || (a != null && b != null && String(a) === String(b));

const VALUE_WRITES: WriteOperation[] = ['create', 'update', 'bulk_update'];

// An update by id and a bulk update of one row are the same change: a rule for one is a rule for both.
const family = (operation: WriteOperation) => (operation === 'bulk_update' ? 'update' : operation);

/**
 * A rule applies to the operations it lists (update and bulk_update alike). It also applies to any
 * other operation that writes values when that write sets a field the rule looks at: a create cannot
 * set what a rule written for updates guards.
 */
const appliesTo = (rule: BoundApprovalRule, operation: WriteOperation, values: Row) =>
  rule.operations.some((op) => family(op) === family(operation)) || (VALUE_WRITES.includes(operation) && rule.fields.some((f) => f in values));

/**
 * Every approval rule this write triggers, for any of its target rows: a watched field gets a different
 * value (when `fieldsChanged` is set) and the row's new values match `when` (when set). A create has one
 * "row": its values.
 */
export function triggeredRules(model: BoundModel, rules: BoundApprovalRule[], operation: WriteOperation, targets: Row[], values: Row): BoundApprovalRule[] {
  const rows = operation === 'create' ? [{}] : targets;
  return rules.filter((rule) => {
    if (!appliesTo(rule, operation, values)) return false;
    return rows.some((before) => {
      const after = operation === 'delete' ? before : { ...before, ...values };
      const changed = !rule.fieldsChanged || rule.fieldsChanged.some((f) => f in values && (rule.blindFields.includes(f) || !sameValue(before[f], values[f])));
      return changed && (!rule.whenFilter || evaluateFilter(rule.whenFilter, after, model));
    });
  });
}
