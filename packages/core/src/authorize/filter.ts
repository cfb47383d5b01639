import { errors } from '../errors.js';
import type { BoundField, BoundModel } from '../policy/bind-policy.js';
import type { FieldType } from '../schema-info.js';
import { LIMITS, type ComparisonOp, type ConditionInput, type FilterInput } from '../tools/input-schemas.js';
import { and, TRUE, type FilterNode, type Scalar } from '../plan/plan.js';
import { own } from '../own.js';

const EQUALITY: ComparisonOp[] = ['eq', 'ne', 'in', 'not_in', 'is_null'];
const RANGE: ComparisonOp[] = ['gt', 'gte', 'lt', 'lte', 'between'];
const TEXT: ComparisonOp[] = ['contains', 'starts_with', 'ends_with'];

const OPS_BY_TYPE: Record<FieldType, ComparisonOp[]> = {
  string: [...EQUALITY, ...RANGE, ...TEXT],
  integer: [...EQUALITY, ...RANGE],
  number: [...EQUALITY, ...RANGE],
  date: [...EQUALITY, ...RANGE],
  dateonly: [...EQUALITY, ...RANGE],
  boolean: EQUALITY,
  uuid: EQUALITY,
  json: ['is_null'],
  other: ['is_null'],
};

export const operatorsFor = (type: FieldType): ComparisonOp[] => OPS_BY_TYPE[type];

export const TYPE_WORDING: Record<FieldType, string> = {
  string: 'a string',
  uuid: 'a UUID string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  date: 'an ISO-8601 date-time string',
  dateonly: 'a YYYY-MM-DD date string',
  json: 'a JSON value',
  other: 'a value',
};

export function fitsType(type: FieldType, value: Scalar): boolean {
  switch (type) {
    case 'string':
    case 'uuid':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
    case 'dateonly':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    default:
      return false;
  }
}

function badValue(model: BoundModel, field: BoundField, op: ComparisonOp, expected: string) {
  return errors.invalidInput(
    `Operator '${op}' on '${model.name}.${field.name}' needs ${expected}.`,
    op === 'eq' || op === 'ne' ? `${expected}; to test for missing values use op 'is_null' with value true or false.` : `Pass ${expected}.`,
    { model: model.name, field: field.name, op },
  );
}

function checkedValue(model: BoundModel, field: BoundField, cond: ConditionInput): Scalar | Scalar[] {
  const { op, value } = cond;
  const one = TYPE_WORDING[field.type];
  if (op === 'is_null') {
    if (value === undefined) return true;
    if (typeof value !== 'boolean') throw badValue(model, field, op, 'true or false');
    return value;
  }
  if (op === 'in' || op === 'not_in' || op === 'between') {
    const expected = op === 'between' ? `a [low, high] array of ${one}` : `a non-empty array of ${one}`;
    if (!Array.isArray(value) || value.length === 0) throw badValue(model, field, op, expected);
    if (op === 'between' && value.length !== 2) throw badValue(model, field, op, expected);
    if (!value.every((v) => v !== null && fitsType(field.type, v))) throw badValue(model, field, op, expected);
    return value;
  }
  if (value === undefined || value === null || Array.isArray(value) || !fitsType(field.type, value)) {
    throw badValue(model, field, op, one);
  }
  return value;
}

/**
 * A condition on the tenant field is accepted only when it names the caller's own tenant (and then adds
 * nothing: the tenant predicate is always injected). Any other tenant, any other operator, or any tenant
 * condition under a `not` is refused, wherever it sits in the tree (including inside or branches).
 */
function tenantCondition(model: BoundModel, cond: ConditionInput, tenantId: string | null, negated: boolean): FilterNode {
  if (negated) throw errors.tenantMismatch(model.name);
  const values = cond.op === 'eq' ? [cond.value] : cond.op === 'in' && Array.isArray(cond.value) ? cond.value : null;
  if (values && values.length > 0 && tenantId !== null && values.every((v) => v === tenantId)) return TRUE;
  throw errors.tenantMismatch(model.name);
}

interface WalkState {
  nodes: number;
  allowedFields: readonly string[];
}

function walk(input: FilterInput, model: BoundModel, tenantId: string | null, depth: number, state: WalkState, negated = false): FilterNode {
  state.nodes += 1;
  if (state.nodes > LIMITS.maxFilterNodes || depth > LIMITS.maxFilterDepth) {
    throw errors.invalidInput(
      `The filter is too large (at most ${LIMITS.maxFilterNodes} conditions, nested ${LIMITS.maxFilterDepth} deep).`,
      'Simplify the filter, for example with op "in" instead of many "or" branches.',
    );
  }
  const child = (c: FilterInput, negate = false) => walk(c, model, tenantId, depth + 1, state, negated !== negate);
  if ('and' in input) return and(...input.and.map((c) => child(c)));
  if ('or' in input) return { kind: 'or', children: input.or.map((c) => child(c)) };
  if ('not' in input) return { kind: 'not', child: child(input.not, true) };

  if (input.field === model.tenantField) return tenantCondition(model, input, tenantId, negated);
  const field = own(model.fields, input.field);
  if (!field || !state.allowedFields.includes(input.field)) {
    throw errors.fieldNotAllowed(model.name, input.field, 'filters', state.allowedFields);
  }
  const allowedOps = operatorsFor(field.type);
  if (!allowedOps.includes(input.op)) throw errors.operatorNotAllowed(model.name, field.name, input.op, allowedOps);
  return { kind: 'cmp', field: field.name, op: input.op, value: checkedValue(model, field, input) };
}

/**
 * Turns an agent's filter into a plan filter: every field and operator checked against the policy.
 * `allowedFields` defaults to the agent's filterable fields; policy-authored predicates pass their own.
 */
export function authorizeFilter(
  input: FilterInput | undefined,
  model: BoundModel,
  tenantId: string | null,
  allowedFields: readonly string[] = model.filterable,
): FilterNode {
  return input ? walk(input, model, tenantId, 1, { nodes: 0, allowedFields }) : TRUE;
}
