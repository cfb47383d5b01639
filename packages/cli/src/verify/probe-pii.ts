import { bindPolicy, type BoundPolicy, type GenericToolName, type Policy, type Row, type SchemaInfo, type ToolResult } from '@ormai/core';
import { ProbeTally } from './probe-result.js';
import { scalar, walkRows, type ProbeSession } from './probe-session.js';
import { rawRows } from './raw-rows.js';

const MASKS = new Set(['email', 'last4', 'full', 'hash']);

/**
 * The rules the policy's globs alone give each field (the profile's secret globs, the policy's
 * `denyFields` and `maskFields`), ignoring per-model overrides: a field a glob denies or masks that a
 * model's `fields` allows is exactly the mistake this probe is for.
 */
export function globRules(policy: Policy, schema: SchemaInfo): BoundPolicy {
  const models = Object.fromEntries(Object.entries(policy.models).map(([name, model]) => [name, { ...model, fields: {}, defaultField: 'allow' as const }]));
  return bindPolicy({ ...policy, models }, schema);
}

/**
 * Probe 2: every model through db_get and db_query, alone and with each allowed relation included.
 * No field a deny rule or glob covers may come back; a masked field must never equal its clear value
 * (read from the database directly).
 */
export async function probePii(session: ProbeSession): Promise<ProbeTally> {
  const tally = new ProbeTally('pii');
  const globs = globRules(session.ormai.policy, session.schema);
  const { a } = session.principals;
  const seen: Array<{ what: string; model: string; row: Row }> = [];
  const collect = (what: string, model: string, result: ToolResult) => {
    if (!result.ok) return tally.fail(`${what}: refused with ${result.error.code} (the probe needs the model readable)`);
    const data = result.data as { rows?: Row[]; row?: Row };
    walkRows(session.bound, model, data.rows ?? data.row ?? [], (m, row) => seen.push({ what, model: m, row }));
  };

  for (const model of session.bound.modelNames) {
    const bound = session.bound.models[model]!;
    const rows = session.rows[model]!;
    const first = rows.a[0];
    // A tool includes only relations to models it may touch itself (the others are relation_not_allowed).
    const includeAll = (tool: GenericToolName) =>
      bound.relationNames.filter((relation) => session.offers(tool, bound.relations[relation]!.target)).map((relation) => ({ relation, limit: 3 }));
    // Filtered on a few keys, so the scan budget lets the reads through on any table size.
    const where = { field: rows.primaryKey, op: 'in', value: rows.a.slice(0, 3).map((r) => scalar(r[rows.primaryKey])) };
    if (first && !session.offers('db_query', model)) tally.skip(`db_query ${model}`);
    else if (first) {
      const include = includeAll('db_query');
      collect(`db_query ${model}`, model, await session.call('db_query', { model, where, limit: 3, ...(include.length ? { include } : {}) }, a));
    }
    if (first && !session.offers('db_get', model)) tally.skip(`db_get ${model}`);
    else if (first) {
      const id = scalar(first[rows.primaryKey]);
      collect(`db_get ${model} ${String(id)}`, model, await session.call('db_get', { model, id }, a));
      for (const include of includeAll('db_get')) collect(`db_get ${model} ${String(id)} include ${include.relation}`, model, await session.call('db_get', { model, id, include: [include] }, a));
    }
  }

  const clear = await clearValues(session, seen);
  for (const { what, model, row } of seen) {
    const bound = session.bound.models[model];
    if (!bound) continue;
    const original = clear.get(model)?.get(String(row[bound.primaryKey]));
    for (const [field, value] of Object.entries(row)) {
      if (field in bound.relations) continue;
      const rule = bound.fields[field]?.rule;
      const globRule = globs.models[model]?.fields[field]?.rule;
      tally.check(rule !== 'deny' && globRule !== 'deny', () => `${what}: returned ${model}.${field}, which ${rule === 'deny' ? 'the policy denies' : 'a deny glob covers but the policy allows'}`);
      const masked = MASKS.has(rule ?? '') || MASKS.has(globRule ?? '');
      if (!masked || value === null || value === undefined) continue;
      const inClear = original !== undefined && original[field] !== null && String(scalar(original[field])) === String(value);
      tally.check(!inClear, () => `${what}: ${model}.${field} returned in clear (${MASKS.has(rule ?? '') ? `rule ${rule}` : `a ${globRule} mask glob covers it but the policy allows it`})`);
    }
  }
  return tally;
}

/** The database's own rows behind what the probe saw, by model and key. */
async function clearValues(session: ProbeSession, seen: Array<{ model: string; row: Row }>): Promise<Map<string, Map<string, Row>>> {
  const keys = new Map<string, Set<string | number>>();
  for (const { model, row } of seen) {
    const pk = session.bound.models[model]?.primaryKey;
    if (pk && row[pk] !== undefined) (keys.get(model) ?? keys.set(model, new Set()).get(model)!).add(scalar(row[pk]) as string | number);
  }
  const byModel = new Map<string, Map<string, Row>>();
  for (const [model, ids] of keys) {
    const pk = session.bound.models[model]!.primaryKey;
    const rows = await rawRows(session.ormai.adapter, session.schema, model, { kind: 'cmp', field: pk, op: 'in', value: [...ids] });
    byModel.set(model, new Map(rows.map((r) => [String(scalar(r[pk])), r])));
  }
  return byModel;
}
