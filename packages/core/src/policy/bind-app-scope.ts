import { and } from '../plan/plan.js';
import type { FilterNode } from '../spec/plan.js';
import type { FieldType, ModelInfo } from '../schema-info.js';

/** Which JavaScript value an equality on each field type takes: anything else is not a plain equality. */
const EQUALITY_VALUE: Partial<Record<FieldType, 'string' | 'number' | 'boolean'>> = {
  string: 'string',
  enum: 'string',
  uuid: 'string',
  integer: 'number',
  number: 'number',
  boolean: 'boolean',
};

/**
 * The rows the application itself shows (its default scope), as a predicate for every statement's scope.
 * Whatever the adapter could not express refuses the model: OrmAI must not show what the application hides.
 */
export function bindApplicationFilter(name: string, info: ModelInfo, problems: string[]): FilterNode | null {
  for (const reason of info.unsupported ?? []) problems.push(`models.${name}: ${reason}`);
  const parts: FilterNode[] = [];
  for (const { field, value } of info.defaultFilter ?? []) {
    const type = info.fields[field]?.type;
    if (value === null) parts.push({ kind: 'cmp', field, op: 'is_null', value: true });
    else if (type && EQUALITY_VALUE[type] === typeof value) parts.push({ kind: 'cmp', field, op: 'eq', value });
    else problems.push(`models.${name}: its defaultScope compares '${field}' with a ${typeof value}, which OrmAI cannot apply: remove it from the defaultScope`);
  }
  return parts.length ? and(...parts) : null;
}
