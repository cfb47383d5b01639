import { bindPolicy, DEFAULT_DEV, scrubText, DEFAULT_PROD, type BoundWrite, type FieldInfo, type FieldRule, type Policy, type SchemaInfo } from '@ormai/core';

/**
 * Core's glob matcher and write defaults are internal; binding a one-model probe policy through the public
 * `bindPolicy` gives the very same answers without copying them, so the CLI cannot drift from the engine.
 */
const PROBE_MODEL = 'OrmaiLintProbe';
const PROBE_KEY = 'ormai_probe_row';

const field = (name: string, type: FieldInfo['type'], primaryKey = false): FieldInfo => ({ name, type, primaryKey, allowNull: !primaryKey, indexed: primaryKey });

function probeSchema(names: string[]): SchemaInfo {
  const fields: Record<string, FieldInfo> = { [PROBE_KEY]: field(PROBE_KEY, 'integer', true) };
  for (const name of names) if (name !== PROBE_KEY) fields[name] = field(name, 'string');
  return { models: { [PROBE_MODEL]: { name: PROBE_MODEL, primaryKey: [PROBE_KEY], fields, relations: {} } } };
}

function probePolicy(denyFields: string[], model: Policy['models'][string] = {}, maskFields: Policy['maskFields'] = {}): Policy {
  return {
    version: 1,
    profile: 'dev',
    readOnly: false,
    requireReason: false,
    tenantScope: false,
    denyFields,
    maskFields,
    budgets: DEFAULT_DEV.budgets,
    toolBudgets: {},
    models: { [PROBE_MODEL]: model },
    audit: { onFailure: 'continue', retention: { hotDays: 1, warmDays: 1, coldDays: 1 }, subjects: {} },
  };
}

/** The names (attribute or column) that any of the globs matches, with core's folding and word rules. */
export function namesMatching(names: string[], globs: string[]): Set<string> {
  const bound = bindPolicy(probePolicy(globs), probeSchema(names)).models[PROBE_MODEL]!;
  return new Set(names.filter((name) => bound.fields[name]?.rule === 'deny'));
}

/** The rule each name gets in a model of `policy` that states none for it: the deny globs, the mask globs, then `defaultField`. */
export function rulesWithoutStatement(names: string[], policy: Policy, defaultField: 'allow' | 'deny'): Map<string, FieldRule> {
  const bound = bindPolicy(probePolicy(policy.denyFields, { defaultField }, policy.maskFields), probeSchema(names)).models[PROBE_MODEL]!;
  return new Map(names.map((name) => [name, bound.fields[name]!.rule]));
}

/** Secret-looking: a name core's profiles deny, or one whose labelled value `scrubText` would remove. */
export function secretLookingNames(names: string[]): Set<string> {
  const byGlob = namesMatching(names, DEFAULT_PROD.denyFields);
  for (const name of names) if (scrubText(`${name}=Zq7Xw2pL9`) !== `${name}=Zq7Xw2pL9`) byGlob.add(name);
  return byGlob;
}

export type WriteLimits = Pick<BoundWrite, 'maxAffectedRows' | 'maxWritesPerMinute' | 'dryRunAbove'>;

/** The limits core applies to a write section that states none. */
export function coreWriteDefaults(): WriteLimits {
  const write = bindPolicy(probePolicy([], { write: { update: true, writableFields: ['value'] } }), probeSchema(['value'])).models[PROBE_MODEL]!.write!;
  return { maxAffectedRows: write.maxAffectedRows, maxWritesPerMinute: write.maxWritesPerMinute, dryRunAbove: write.dryRunAbove };
}
