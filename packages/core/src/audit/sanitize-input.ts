import { own } from '../own.js';
import { nestedKeyRule } from '../policy/glob-rule.js';
import { WRITE_OPERATIONS } from '../policy/policy-schema.js';
import type { BoundModel, BoundPolicy, NestedKeyRule } from '../spec/bound-policy.js';
import type { Policy } from '../spec/policy.js';
import { AGGREGATE_OPS, COMPARISON_OPS } from '../tools/input-schemas.js';
import { AUDIT_INPUT_LIMITS, keptText, MARK, plainScalar, unknownKeys } from './sanitize-text.js';
import { fieldValue } from './sanitize-value.js';
import { walkContainer, type AuditWalk } from './sanitize-walk.js';

/**
 * The input an audit record stores. The raw input is untrusted (any shape, any size, any value), so it
 * is walked by position in the tools' grammar: a value is kept only where it is compared with, or
 * written to, a field the policy allows; a masked field's value is stored masked; every kept string is
 * scrubbed of secrets and capped. Names are the agent's text too: a model, field, relation or object key
 * is kept only when the policy knows it at that position (a model of the policy, a field of the model
 * in scope whatever its rule, a relation of that model, a key of the tool's grammar); any other becomes
 * a fixed marker (`[unknown model]`, `[unknown field]`, `[unknown relation]`, `[unknown key 1]`...), and
 * an unknown key's value is redacted. What cannot be judged is redacted: the walk fails closed.
 */
export interface SanitizedAuditInput {
  input: unknown;
  /** The input's `reason`, scrubbed and capped; removed from `input`. */
  reason: string | null;
}

/** Every key of the tools' inputs (spec/tool-inputs.ts). */
const TOOL_KEYS: ReadonlySet<string> = new Set([
  'model', 'select', 'where', 'and', 'or', 'not', 'field', 'op', 'value', 'include', 'relation', 'limit', 'cursor',
  'orderBy', 'direction', 'id', 'values', 'operation', 'previewId', 'approvalId', 'groupBy',
]);
/** The approvals API's actions take an approval id and an approver's note. */
const APPROVAL_KEYS: ReadonlySet<string> = new Set(['approvalId', 'note']);

const ENUMS: Record<string, ReadonlySet<unknown>> = {
  op: new Set([...COMPARISON_OPS, ...AGGREGATE_OPS]),
  direction: new Set(['asc', 'desc']),
  operation: new Set(WRITE_OPERATIONS),
};

/**
 * One remembering key rule per policy, shared by every call: matching a key against the policy's globs
 * costs tens of microseconds, and a fresh rule per call re-matched every key of every input (~0.5 ms a call).
 */
const keyRules = new WeakMap<Policy, NestedKeyRule>();

export function keyRuleOf(policy: Policy): NestedKeyRule {
  let rule = keyRules.get(policy);
  if (!rule) keyRules.set(policy, (rule = nestedKeyRule(policy)));
  return rule;
}

export function sanitizeAuditInput(action: string, input: unknown, bound: BoundPolicy, hashKey: Uint8Array): SanitizedAuditInput {
  try {
    const walk: AuditWalk = {
      bound,
      hashKey,
      keyRule: keyRuleOf(bound.policy),
      grammar: action.startsWith('approvals.') ? APPROVAL_KEYS : TOOL_KEYS,
      remaining: AUDIT_INPUT_LIMITS.maxValues,
      ancestors: new Set(),
    };
    return { input: grammarNode(walk, input, null, 0, true), reason: rootReason(input) };
  } catch {
    return { input: MARK.unreadable, reason: null }; // never reached by design; an audit record must still be written
  }
}

export function rootReason(input: unknown): string | null {
  let reason: unknown;
  try {
    if (typeof input !== 'object' || input === null || Array.isArray(input) || !Object.hasOwn(input, 'reason')) return null;
    reason = (input as { reason: unknown }).reason;
  } catch {
    return MARK.unreadable; // a getter or Proxy trap that throws
  }
  const scalar = plainScalar(reason);
  if (scalar === undefined) return MARK.redacted;
  return scalar === null ? null : keptText(String(scalar), AUDIT_INPUT_LIMITS.maxReason);
}

/** An object (or list of them) at a place of the grammar: the root, a filter, an include, an orderBy entry. */
function grammarNode(walk: AuditWalk, value: unknown, model: BoundModel | null, depth: number, atRoot = false): unknown {
  const scalar = plainScalar(value);
  if (scalar !== undefined) return scalar === null ? null : MARK.redacted; // text where a filter belongs can say anything
  return walkContainer(walk, value as object, depth, {
    items: (items, d) => items.map((item) => grammarNode(walk, item, model, d)),
    entries: (entries, d) => grammarEntries(walk, atRoot ? entries.filter(([key]) => key !== 'reason') : entries, model, d),
  });
}

/** The model an object's values are judged against: its own `model`, else its parent's, then through its `relation`. */
function modelsOf(walk: AuditWalk, inherited: BoundModel | null, get: (key: string) => unknown) {
  const named = get('model');
  const parent = named === undefined ? inherited : typeof named === 'string' ? (own(walk.bound.models, named) ?? null) : null;
  const relationName = get('relation');
  if (relationName === undefined) return { parent, model: parent };
  const relation = parent && typeof relationName === 'string' ? own(parent.relations, relationName) : undefined;
  return { parent, model: relation ? (own(walk.bound.models, relation.target) ?? null) : null };
}

function grammarEntries(walk: AuditWalk, entries: Array<[string, unknown]>, inherited: BoundModel | null, depth: number): Array<[string, unknown]> {
  const get = (key: string) => entries.find(([k]) => k === key)?.[1];
  const { parent, model } = modelsOf(walk, inherited, get);
  const fieldName = get('field');
  const field = model && typeof fieldName === 'string' ? own(model.fields, fieldName) : undefined;
  const isField = (name: string) => model !== null && Object.hasOwn(model.fields, name);
  const unknownKey = unknownKeys();

  return entries.map(([key, value]): [string, unknown] => {
    if (!walk.grammar.has(key)) return [unknownKey(), MARK.redacted];
    if (walk.keyRule(key) === 'deny') return [key, MARK.redacted];
    switch (key) {
      case 'model':
        return [key, nameText(value, (name) => Object.hasOwn(walk.bound.models, name), MARK.unknownModel)];
      case 'relation':
        return [key, nameText(value, (name) => parent !== null && Object.hasOwn(parent.relations, name), MARK.unknownRelation)];
      case 'field':
        return [key, nameText(value, isField, MARK.unknownField)];
      case 'select':
      case 'groupBy':
        return [key, nameList(walk, value, isField, depth)];
      case 'where':
      case 'and':
      case 'or':
      case 'not':
      case 'include':
      case 'orderBy':
        return [key, grammarNode(walk, value, model, depth)];
      case 'value':
        return [key, fieldValue(walk, field, value, depth)];
      case 'id':
        // Primary keys are not secret, unless the policy says this one is.
        return [key, fieldValue(walk, model ? own(model.fields, model.primaryKey) : undefined, value, depth)];
      case 'values':
        return [key, writeValues(walk, model, value, depth)];
      case 'cursor':
        return [key, MARK.cursor]; // it encodes the last row's sort values
      case 'limit':
        return [key, typeof value === 'number' && Number.isFinite(value) ? value : MARK.invalid];
      default: {
        const allowed = ENUMS[key];
        if (allowed) return [key, allowed.has(value) ? value : MARK.invalid];
        return [key, freeText(value)]; // previewId, approvalId, note
      }
    }
  });
}

/** A name the policy knows here is kept as is; any other text becomes the fixed marker, never the agent's text. */
function nameText(value: unknown, known: (name: string) => boolean, unknown: string): unknown {
  if (typeof value === 'string') return known(value) ? value : unknown;
  return value === null || value === undefined ? null : MARK.redacted;
}

function nameList(walk: AuditWalk, value: unknown, isField: (name: string) => boolean, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return nameText(value, isField, MARK.unknownField);
  return walkContainer(walk, value, depth, { items: (items) => items.map((item) => nameText(item, isField, MARK.unknownField)) });
}

/** `values` of a write: each value judged by the rule of the field it is written to; a key naming no field is marked. */
function writeValues(walk: AuditWalk, model: BoundModel | null, value: unknown, depth: number): unknown {
  const scalar = plainScalar(value);
  if (scalar !== undefined) return scalar === null ? null : MARK.redacted;
  return walkContainer(walk, value as object, depth, {
    entries: (entries, d) => {
      const unknownKey = unknownKeys();
      return entries.map(([name, inner]) => {
        const field = model ? own(model.fields, name) : undefined;
        return field ? [name, fieldValue(walk, field, inner, d)] : [unknownKey(), MARK.redacted];
      });
    },
  });
}

/** Text that belongs to no field (ids of previews and approvals, a note): scrubbed and capped. */
function freeText(value: unknown): unknown {
  const scalar = plainScalar(value);
  if (scalar === undefined) return MARK.redacted;
  return typeof scalar === 'string' ? keptText(scalar) : scalar;
}
