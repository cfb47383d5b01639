import { errors } from '../errors.js';
import type { BoundField, BoundModel } from '../spec/bound-policy.js';
import type { FieldType } from '../schema-info.js';
import { LIMITS } from '../tools/input-schemas.js';
import type { ComparisonOp } from '../spec/plan.js';
import type { ConditionInput, FilterInput } from '../spec/tool-inputs.js';
import { and, TRUE } from '../plan/plan.js';
import type { FilterNode, Scalar } from '../spec/plan.js';
import { expectedValue, fitsType, normalizeValue } from './values.js';
import { own } from '../own.js';
import { errorWording } from '../error-wording.js';

const EQUALITY: ComparisonOp[] = ['eq', 'ne', 'in', 'not_in', 'is_null'];
const RANGE: ComparisonOp[] = ['gt', 'gte', 'lt', 'lte', 'between'];
const TEXT: ComparisonOp[] = ['contains', 'starts_with', 'ends_with'];

const OPS_BY_TYPE: Record<FieldType, ComparisonOp[]> = {
  string: [...EQUALITY, ...RANGE, ...TEXT],
  enum: EQUALITY,
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

function badValue(model: BoundModel, field: BoundField, op: ComparisonOp, expected: string) {
  return errors.invalidInput(errorWording.invalidInput.filterValue(model.name, field.name, op, expected), { model: model.name, field: field.name, op });
}

function checkedValue(model: BoundModel, field: BoundField, cond: ConditionInput): Scalar | Scalar[] {
  const { op, value } = cond;
  const one = expectedValue(field);
  if (op === 'is_null') {
    if (value === undefined) return true;
    if (typeof value !== 'boolean') throw badValue(model, field, op, 'true or false');
    return value;
  }
  if (op === 'in' || op === 'not_in' || op === 'between') {
    const expected = op === 'between' ? `a [low, high] array of ${one}` : `a non-empty array of ${one}`;
    if (!Array.isArray(value) || value.length === 0) throw badValue(model, field, op, expected);
    if (op === 'between' && value.length !== 2) throw badValue(model, field, op, expected);
    if (!value.every((v) => v !== null && fitsType(field, v))) throw badValue(model, field, op, expected);
    return value.map((v) => normalizeValue(field.type, v));
  }
  if (value === undefined || value === null || Array.isArray(value) || !fitsType(field, value)) {
    throw badValue(model, field, op, one);
  }
  return normalizeValue(field.type, value);
}


interface WalkState {
  nodes: number;
  allowedFields: readonly string[];
}

function walk(input: FilterInput, model: BoundModel, depth: number, state: WalkState): FilterNode {
  state.nodes += 1;
  if (state.nodes > LIMITS.maxFilterNodes || depth > LIMITS.maxFilterDepth) {
    throw errors.invalidInput(errorWording.invalidInput.filterTooLarge(LIMITS.maxFilterNodes, LIMITS.maxFilterDepth));
  }
  const child = (c: FilterInput) => walk(c, model, depth + 1, state);
  if ('and' in input) return and(...input.and.map(child));
  if ('or' in input) return { kind: 'or', children: input.or.map(child) };
  if ('not' in input) return { kind: 'not', child: child(input.not) };

  // Any condition on the tenant field is refused, wherever it sits (or/not branches included). Even the
  // caller's own tenant: accepting it would let the agent confirm a guessed tenant id.
  if (input.field === model.tenantField) throw errors.tenantMismatch(model.name);
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
export function authorizeFilter(input: FilterInput | undefined, model: BoundModel, allowedFields: readonly string[] = model.filterable): FilterNode {
  return input ? walk(input, model, 1, { nodes: 0, allowedFields }) : TRUE;
}
