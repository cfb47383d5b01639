import { describe, expect, it } from 'vitest';
import { CLEAR, DENIED, leaked, NEVER_STORED, sanitize, SECRETS, STRAY } from './sanitize-fixture.corpus.js';

/** A small seeded generator (mulberry32): the same inputs on every run, so a failure can be replayed by its seed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const chance = (p: number) => next() < p;
  const count = (max: number) => Math.floor(next() * (max + 1));
  return { pick, chance, count };
}

type Model = 'Customer' | 'Order' | null;

/** Fields whose values the policy lets through (scrubbed); every other field, or any field of no known model, must not keep its value. */
const ALLOWED: Record<'Customer' | 'Order', string[]> = { Customer: ['id', 'name', 'settings'], Order: ['id', 'customerId', 'total', 'status'] };
const GUARDED: Record<'Customer' | 'Order', string[]> = {
  Customer: ['email', 'card', 'loyaltyId', 'ssn', 'passwordHash', 'tenantId', 'nickname'],
  Order: ['giftCode', 'tenantId', 'name', 'email'],
};
/** Keys inside a JSON value that the profile's globs deny or mask. */
const GUARDED_KEYS = ['password', 'apiToken', 'ssn', 'email', 'client_secret', 'cvv'];
const SENSITIVE = [...Object.values(DENIED), CLEAR.email, CLEAR.card, STRAY];
const JUNK_KEYS = ['extra', '__proto__', 'constructor', 'note', 'reason', '$where', 'prototype', 'toString'];

/**
 * Random inputs, mostly in the shape of the tools' grammar with random mistakes, holding the sensitive
 * literals at every place where the policy says they must not be kept (names included: model, field,
 * relation, select/groupBy entries, object keys), and secrets wherever text is kept.
 */
function generator(seed: number) {
  const { pick, chance, count } = random(seed);
  let placed = 0;
  const sensitive = (): string => {
    placed++;
    return pick(SENSITIVE);
  };
  const keptText = (): string | number => (chance(0.4) ? `note ${pick(SECRETS)} end` : chance(0.3) ? count(1_000) : pick(['Ann', 'paid', 'blue sky']));

  /** Anything that holds sensitive literals: a bare one, a list, an object, a deep chain. */
  const guardedValue = (depth: number): unknown => {
    if (depth > 3 || chance(0.5)) return sensitive();
    if (chance(0.3)) return Array.from({ length: 1 + count(3) }, () => guardedValue(depth + 1));
    if (chance(0.5)) return { [pick([...JUNK_KEYS, 'value', 'values', 'where'])]: guardedValue(depth + 1) };
    let chain: unknown = sensitive();
    for (let i = count(30); i > 0; i--) chain = { not: chain };
    return chain;
  };

  const settings = (depth: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (let i = count(4); i > 0; i--) {
      if (chance(0.5)) out[pick(GUARDED_KEYS)] = guardedValue(3);
      else out[pick(['theme', 'lang', 'layout'])] = depth < 2 && chance(0.3) ? settings(depth + 1) : keptText();
    }
    return out;
  };

  const allowedValue = (field: string): unknown => {
    if (field === 'settings') return chance(0.5) ? settings(0) : JSON.stringify(settings(0));
    // An operator object where a scalar belongs, alone or in a list.
    const operator = () => ({ [pick(['$ne', 'theme', 'value'])]: guardedValue(2) });
    if (chance(0.15)) return operator();
    return chance(0.3) ? Array.from({ length: 1 + count(4) }, () => (chance(0.2) ? operator() : keptText())) : keptText();
  };

  const valueFor = (model: Model, field: string): unknown => (model && ALLOWED[model].includes(field) ? allowedValue(field) : guardedValue(0));
  /** A field name, or now and then a sensitive literal where the name belongs. */
  const fieldOf = (model: Model) => (chance(0.08) ? sensitive() : pick(model ? [...ALLOWED[model], ...GUARDED[model]] : ['name', 'ssn', 'id', 'x']));
  const junkKey = () => (chance(0.3) ? sensitive() : pick(JUNK_KEYS));

  const filter = (model: Model, depth: number): unknown => {
    if (chance(0.05)) return guardedValue(0);
    if (depth > 4 || chance(0.4)) {
      const field = fieldOf(model);
      const condition: Record<string, unknown> = { field, op: pick(['eq', 'in', 'between', 'contains']), value: valueFor(model, field) };
      if (chance(0.1)) condition[junkKey()] = guardedValue(1);
      return condition;
    }
    if (chance(0.3)) return { not: filter(model, depth + 1) };
    return { [pick(['and', 'or'])]: Array.from({ length: 1 + count(3) }, () => filter(model, depth + 1)) };
  };

  const names = (model: Model) => Array.from({ length: 1 + count(3) }, () => (chance(0.2) ? `col ${pick(SECRETS)}` : fieldOf(model)));

  const include = (model: Model, depth: number): Record<string, unknown> => {
    const relation = model === 'Customer' && chance(0.7) ? 'orders' : chance(0.3) ? sensitive() : pick(['orders', 'invoices', `r ${pick(SECRETS)}`]);
    const target: Model = model === 'Customer' && relation === 'orders' ? 'Order' : null;
    const out: Record<string, unknown> = { relation, where: filter(target, 0) };
    if (chance(0.5)) out.select = names(target);
    if (depth < 2 && chance(0.3)) out.include = [include(target, depth + 1)];
    if (chance(0.2)) out.values = writeValues(target);
    return out;
  };

  const writeValues = (model: Model) => {
    const out: Record<string, unknown> = {};
    for (let i = 1 + count(4); i > 0; i--) {
      const field = fieldOf(model);
      out[field] = valueFor(model, field);
    }
    return out;
  };

  const input = (): Record<string, unknown> => {
    const name = chance(0.1) ? sensitive() : pick(['Customer', 'Customer', 'Order', 'Payroll', `m ${pick(SECRETS)}`]);
    const model: Model = name === 'Customer' || name === 'Order' ? name : null;
    const out: Record<string, unknown> = { model: name };
    if (chance(0.6)) out.where = filter(model, 0);
    if (chance(0.3)) out.select = names(model);
    if (chance(0.1)) out.groupBy = names(model);
    if (chance(0.3)) out.values = writeValues(model);
    if (chance(0.3)) out.id = model ? keptText() : guardedValue(0);
    if (chance(0.3)) out.include = Array.from({ length: 1 + count(2) }, () => include(model, 0));
    if (chance(0.2)) out.cursor = guardedValue(0);
    if (chance(0.2)) out.orderBy = [{ field: fieldOf(model), direction: chance(0.5) ? 'asc' : guardedValue(0) }];
    if (chance(0.2)) out.reason = keptText();
    // Not `reason` or `note`: at the root they are free text, kept scrubbed.
    if (chance(0.2)) out[pick([() => pick(JUNK_KEYS.filter((k) => k !== 'reason' && k !== 'note')), () => `key ${pick(SECRETS)}`, sensitive])()] = guardedValue(0);
    if (chance(0.1)) out.self = out; // a cycle
    if (chance(0.1)) out.limit = guardedValue(0);
    return out;
  };

  return { input, placed: () => placed };
}

const ACTIONS = ['db_query', 'db_get', 'db_aggregate', 'db_create', 'db_update', 'db_delete', 'db_bulk_update', 'db_preview_write', 'approvals.approve', 'unknown_tool'];

describe('sanitizeAuditInput: random inputs', () => {
  it('never keeps a denied value, a clear masked value, a raw secret or a stray value, and always returns plain JSON', () => {
    const runs = 600;
    let placedTotal = 0;
    for (let seed = 1; seed <= runs; seed++) {
      const gen = generator(seed);
      const input = gen.input();
      const result = sanitize(ACTIONS[seed % ACTIONS.length]!, input);
      expect(leaked(result), `seed ${seed}`).toEqual([]);
      expect(JSON.parse(JSON.stringify(result)), `seed ${seed}`).toStrictEqual(result);
      placedTotal += gen.placed();
    }
    // The property is only as strong as the inputs: most runs put sensitive literals somewhere.
    expect(placedTotal).toBeGreaterThan(runs * 2);
  });

  it('the leak check finds each literal when it is kept (so the property above can fail)', () => {
    for (const literal of NEVER_STORED) expect(leaked({ input: { value: `a ${literal} b` }, reason: null })).toEqual([literal]);
  });
});
