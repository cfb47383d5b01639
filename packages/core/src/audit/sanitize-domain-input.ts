import type { BoundPolicy, NestedKeyRule } from '../spec/bound-policy.js';
import type { FieldRule } from '../spec/policy.js';
import { keyRuleOf, rootReason, type SanitizedAuditInput } from './sanitize-input.js';
import { AUDIT_INPUT_LIMITS, keptText, MARK, plainScalar, unknownKeys } from './sanitize-text.js';
import { maskedValue } from './sanitize-value.js';
import { walkContainer, type AuditWalk } from './sanitize-walk.js';

/**
 * A domain tool's input as its audit record stores it. The keys are the developer's (those its input
 * schema declares, at any depth): any other key becomes a marker with its value redacted. The values
 * are the agent's: a key the deny globs cover, or named after a field some model denies, is redacted, a
 * masked one masked, and every string scrubbed of secrets and personal data and capped, as the generic
 * tools' free text is.
 */
export function sanitizeDomainInput(input: unknown, keys: ReadonlySet<string>, bound: BoundPolicy, hashKey: Uint8Array): SanitizedAuditInput {
  try {
    const walk: AuditWalk = { bound, hashKey, keyRule: domainKeyRule(bound), grammar: keys, remaining: AUDIT_INPUT_LIMITS.maxValues, ancestors: new Set() };
    return { input: domainValue(walk, input, 0, true), reason: rootReason(input) };
  } catch {
    return { input: MARK.unreadable, reason: null };
  }
}

const keyRules = new WeakMap<BoundPolicy, NestedKeyRule>();

/**
 * The deny/mask globs, then the strictest rule any model gives a field of that name: a domain tool's
 * input is not tied to one model, so a key named after a field masked on one model is masked.
 */
function domainKeyRule(bound: BoundPolicy): NestedKeyRule {
  let rule = keyRules.get(bound);
  if (rule) return rule;
  const byName = new Map<string, FieldRule>();
  for (const model of Object.values(bound.models)) {
    for (const field of Object.values(model.fields)) byName.set(field.name, stricter(byName.get(field.name), field.rule));
  }
  const globs = keyRuleOf(bound.policy);
  rule = (key) => stricter(globs(key), byName.get(key));
  keyRules.set(bound, rule);
  return rule;
}

/** `deny` over any mask over `allow`; between two masks, the first met. */
const stricter = (a: FieldRule | undefined, b: FieldRule | undefined): FieldRule =>
  a === 'deny' || b === 'deny' ? 'deny' : a && a !== 'allow' ? a : (b ?? a ?? 'allow');

function domainValue(walk: AuditWalk, value: unknown, depth: number, atRoot = false): unknown {
  const scalar = plainScalar(value);
  if (scalar !== undefined) return typeof scalar === 'string' ? keptText(scalar) : scalar;
  return walkContainer(walk, value as object, depth, {
    items: (items, d) => items.map((item) => domainValue(walk, item, d)),
    entries: (entries, d) => {
      const unknownKey = unknownKeys();
      return entries
        .filter(([key]) => !(atRoot && key === 'reason'))
        .map(([key, inner]): [string, unknown] => {
          if (!walk.grammar.has(key)) return [unknownKey(), MARK.redacted];
          const rule = walk.keyRule(key);
          if (rule === 'deny') return [key, MARK.redacted];
          return [key, rule === 'allow' ? domainValue(walk, inner, d) : maskedValue(walk, rule, inner, d)];
        });
    },
  });
}
