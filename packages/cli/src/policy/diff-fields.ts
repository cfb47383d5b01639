import type { FieldRule, MaskStrategy, Policy } from '@ormai/core';
import type { PolicyChange } from './diff-change.js';
import type { ModelView } from './policy-view.js';
import { rulesWithoutStatement } from './probe-binding.js';

/** How much of a value the agent sees: denied < fully masked or hashed < partly masked < in clear. */
const VISIBILITY: Record<FieldRule, number> = { deny: 0, full: 1, hash: 1, email: 2, last4: 2, sanitize: 2, allow: 3 };

const describe = (rule: FieldRule) => (rule === 'allow' ? 'in clear' : rule === 'deny' ? 'denied' : `masked (${rule})`);

function ruleChange(at: string, before: FieldRule, after: FieldRule, note = ''): PolicyChange[] {
  if (before === after) return [];
  const [b, a] = [VISIBILITY[before], VISIBILITY[after]];
  const effect = a > b ? 'grant' : a < b ? 'restrict' : 'change';
  const verb = before === 'deny' ? 'newly readable' : after === 'deny' ? 'now denied' : after === 'allow' ? 'unmasked' : before === 'allow' ? 'now masked' : 'mask changed';
  return [{ group: 'fields', effect, at, message: `${at}: ${verb}, ${describe(before)} → ${describe(after)}${note}` }];
}

/** Field rules as the tools enforce them (both views bound to the same schema). */
export function diffBoundFields(before: ModelView, after: ModelView): PolicyChange[] {
  const old = new Map((before.fields ?? []).map((f) => [f.name, f.rule]));
  return (after.fields ?? []).flatMap((f) => {
    const was = old.get(f.name);
    return was === undefined ? [] : ruleChange(`${after.name}.${f.name}`, was, f.rule);
  });
}

/**
 * Without a schema: the fields either policy names, each resolved as core would for that name (its stated
 * rule, else the deny and mask globs, else the model's defaultField), so `passwordHash: 'allow'` reads as
 * opening a denied field.
 */
export function diffStatedFields(before: ModelView, after: ModelView, a: Policy, b: Policy): PolicyChange[] {
  const changes: PolicyChange[] = [];
  if (before.defaultField !== after.defaultField) {
    changes.push({
      group: 'fields',
      effect: after.defaultField === 'allow' ? 'grant' : 'restrict',
      at: `${after.name}.defaultField`,
      message: `${after.name}: fields without a rule are now ${after.defaultField === 'allow' ? 'readable (unless a glob denies or masks them)' : 'denied (allow-list)'}`,
    });
  }
  const names = [...new Set([...Object.keys(before.statedFields), ...Object.keys(after.statedFields)])];
  const [byGlobA, byGlobB] = [rulesWithoutStatement(names, a, before.defaultField), rulesWithoutStatement(names, b, after.defaultField)];
  for (const name of names) {
    const was = before.statedFields[name] ?? byGlobA.get(name)!;
    const is = after.statedFields[name] ?? byGlobB.get(name)!;
    const note = after.statedFields[name] === undefined ? ' (no rule: the globs, else the default)' : '';
    changes.push(...ruleChange(`${after.name}.${name}`, was, is, note));
  }
  return changes;
}

/** Deny and mask globs, reported when there is no schema to resolve them against. */
export function diffGlobs(a: Policy, b: Policy): PolicyChange[] {
  const changes: PolicyChange[] = [];
  for (const glob of a.denyFields.filter((g) => !b.denyFields.includes(g))) {
    changes.push({ group: 'fields', effect: 'grant', at: `denyFields`, message: `fields matching ${glob} are no longer denied` });
  }
  for (const glob of b.denyFields.filter((g) => !a.denyFields.includes(g))) {
    changes.push({ group: 'fields', effect: 'restrict', at: `denyFields`, message: `fields matching ${glob} are now denied` });
  }
  const globs = new Set([...Object.keys(a.maskFields), ...Object.keys(b.maskFields)]);
  for (const glob of globs) {
    const was: MaskStrategy | undefined = a.maskFields[glob];
    const is: MaskStrategy | undefined = b.maskFields[glob];
    if (was === is) continue;
    if (is === undefined) changes.push({ group: 'fields', effect: 'grant', at: 'maskFields', message: `fields matching ${glob} are no longer masked (were ${was})` });
    else if (was === undefined) changes.push({ group: 'fields', effect: 'restrict', at: 'maskFields', message: `fields matching ${glob} are now masked (${is})` });
    else changes.push(...ruleChange(`maskFields ${glob}`, was, is).map((c) => ({ ...c, message: `fields matching ${glob}: mask ${was} → ${is}` })));
  }
  return changes;
}
