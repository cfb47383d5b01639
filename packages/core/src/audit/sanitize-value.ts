import { maskValue } from '../redact.js';
import type { BoundField, NestedKeyRule } from '../spec/bound-policy.js';
import type { FieldRule, MaskStrategy } from '../spec/policy.js';
import type { FieldType } from '../schema-info.js';
import { AUDIT_INPUT_LIMITS, capText, keptText, MARK, plainScalar } from './sanitize-text.js';
import { walkContainer, type AuditWalk } from './sanitize-walk.js';

/**
 * A value compared with, or written to, a field: judged by the field's rule. No field (unknown to the
 * model, or no model) is judged as denied: only a provably allowed field keeps its value.
 */
export function fieldValue(walk: AuditWalk, field: BoundField | undefined, value: unknown, depth: number): unknown {
  if (!field || field.rule === 'deny') return MARK.redacted;
  if (field.rule !== 'allow') return maskedValue(walk, field.rule, value, depth);
  const keyRule = field.nested ?? walk.keyRule;
  return STRUCTURED.has(field.type) ? jsonValue(walk, keyRule, value, depth) : scalarValue(walk, keyRule, value, depth);
}

/** Types whose values may be objects or arrays; any other field takes a scalar, or a list of them (in, between). */
const STRUCTURED: ReadonlySet<FieldType> = new Set(['json', 'other']);

function scalarValue(walk: AuditWalk, keyRule: NestedKeyRule, value: unknown, depth: number, inList = false): unknown {
  const scalar = plainScalar(value);
  if (typeof scalar === 'string') return allowedText(walk, keyRule, scalar, depth);
  if (scalar !== undefined) return scalar;
  if (inList) return MARK.redacted; // an object or list has no place in a scalar field's list (`{ $ne: ... }`)
  return walkContainer(walk, value as object, depth, { items: (items, d) => items.map((item) => scalarValue(walk, keyRule, item, d, true)) });
}

function valueUnder(walk: AuditWalk, rule: FieldRule, keyRule: NestedKeyRule, value: unknown, depth: number): unknown {
  if (rule === 'deny') return MARK.redacted;
  return rule === 'allow' ? jsonValue(walk, keyRule, value, depth) : maskedValue(walk, rule, value, depth);
}

/** A structured value, scrubbed and capped; each key inside it (or inside JSON text) judged by the globs. */
function jsonValue(walk: AuditWalk, keyRule: NestedKeyRule, value: unknown, depth: number): unknown {
  const scalar = plainScalar(value);
  if (typeof scalar === 'string') return allowedText(walk, keyRule, scalar, depth);
  if (scalar !== undefined) return scalar;
  return walkContainer(walk, value as object, depth, {
    items: (items, d) => items.map((item) => jsonValue(walk, keyRule, item, d)),
    entries: (entries, d) => entries.map(([key, inner]) => [keptText(key), valueUnder(walk, keyRule(key), keyRule, inner, d)]),
  });
}

/** A string holding an object or array carries keys too: parsed, judged like a structured value, re-serialized. */
function allowedText(walk: AuditWalk, keyRule: NestedKeyRule, text: string, depth: number): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return keptText(text);
  if (trimmed.length > AUDIT_INPUT_LIMITS.maxJsonText) return MARK.redacted;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return keptText(text); // not JSON after all: ordinary text
  }
  const judged = jsonValue(walk, keyRule, parsed, depth);
  return typeof judged === 'string' ? judged : keptText(JSON.stringify(judged));
}

/** A masked field's value: masked as the agent would see it, lists element by element; an object is redacted (its keys can be data). */
export function maskedValue(walk: AuditWalk, strategy: MaskStrategy, value: unknown, depth: number): unknown {
  const scalar = plainScalar(value);
  if (scalar === null) return null;
  if (scalar !== undefined) return capText(String(maskValue(strategy, scalar, walk.hashKey)), AUDIT_INPUT_LIMITS.maxText);
  return walkContainer(walk, value as object, depth, {
    items: (items, d) => items.map((item) => maskedValue(walk, strategy, item, d)),
  });
}
