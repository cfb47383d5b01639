import type { NestedKeyRule } from '../spec/bound-policy.js';
import { matchesGlob } from './glob.js';
import type { FieldRule, Policy } from '../spec/policy.js';

/** The policy's deny globs, then its mask globs, against any of a field's names; null when none matches. */
export function globRule(names: string[], policy: Policy): FieldRule | null {
  if (policy.denyFields.some((glob) => names.some((n) => matchesGlob(n, glob)))) return 'deny';
  for (const [glob, strategy] of Object.entries(policy.maskFields)) {
    if (names.some((n) => matchesGlob(n, glob))) return strategy;
  }
  return null;
}

/** Keys repeat from row to row: remember this many answers, then keep answering without remembering. */
const REMEMBERED_KEYS = 10_000;

/** The same globs for keys inside JSON values, at any depth: `settings.api_key` is as secret as an `apiKey` column. */
export function nestedKeyRule(policy: Policy): NestedKeyRule {
  const known = new Map<string, FieldRule>();
  return (key) => {
    let rule = known.get(key);
    if (rule === undefined) {
      rule = globRule([key], policy) ?? 'allow';
      if (known.size < REMEMBERED_KEYS) known.set(key, rule);
    }
    return rule;
  };
}
