import type { Row } from '../adapter.js';
import type { BoundModel } from '../policy/bind-policy.js';
import type { BoundApprovalRule } from '../policy/bind-write.js';
import type { WriteOperation } from '../policy/policy-schema.js';
import { evaluateFilter } from './evaluate-filter.js';

const sameValue = (a: unknown, b: unknown) => a === b || (a != null && b != null && String(a) === String(b));

/**
 * The first approval rule this write triggers, for any of its target rows: the operation matches, a
 * watched field gets a different value (when `fieldsChanged` is set), and the row's new values match
 * `when` (when set). A create has one "row": its values.
 */
export function matchApprovalRule(
  model: BoundModel,
  rules: BoundApprovalRule[],
  operation: WriteOperation,
  targets: Row[],
  values: Row,
): BoundApprovalRule | null {
  const rows = operation === 'create' ? [{}] : targets;
  for (const rule of rules) {
    if (!rule.operations.includes(operation)) continue;
    const triggered = rows.some((before) => {
      const after = operation === 'delete' ? before : { ...before, ...values };
      const changed = !rule.fieldsChanged || rule.fieldsChanged.some((f) => f in values && !sameValue(before[f], values[f]));
      return changed && (!rule.whenFilter || evaluateFilter(rule.whenFilter, after, model));
    });
    if (triggered) return rule;
  }
  return null;
}
