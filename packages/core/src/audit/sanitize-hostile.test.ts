import { describe, expect, it } from 'vitest';
import { AUDIT_INPUT_LIMITS } from './sanitize-text.js';
import { DENIED, leaked, sanitize, SECRETS, STRAY } from './sanitize-fixture.corpus.js';

/** The deepest object/array nesting of a JSON-like value, without recursion. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth + 1);
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/** Input built in process, not parsed from JSON: cycles, getters, proxies, values JSON has no word for. */
describe('sanitizeAuditInput: hostile inputs', () => {
  it('1,000-deep nesting stops at the depth bound, and what lies below is not stored', () => {
    let where: unknown = { field: 'ssn', op: 'eq', value: DENIED.ssn };
    for (let i = 0; i < 1_000; i++) where = { not: where };
    const result = sanitize('db_query', { model: 'Customer', where });
    const text = JSON.stringify(result);
    expect(text).toContain('"[truncated]"');
    expect(depthOf(result.input)).toBe(AUDIT_INPUT_LIMITS.maxDepth);
    expect(leaked(result)).toEqual([]);
  });

  it('cycles are marked, not followed', () => {
    const where: Record<string, unknown> = { and: [] };
    (where.and as unknown[]).push(where, { field: 'name', op: 'eq', value: 'Ann' });
    const input: Record<string, unknown> = { model: 'Customer', where };
    input.self = input;
    const result = sanitize('db_query', input);
    expect(result.input).toEqual({ model: 'Customer', where: { and: ['[cycle]', { field: 'name', op: 'eq', value: 'Ann' }] }, '[unknown key 1]': '[redacted]' });
    const values: Record<string, unknown> = { theme: 'dark' };
    values.loop = values;
    expect(sanitize('db_update', { model: 'Customer', id: 1, values: { settings: values } }).input).toEqual({
      model: 'Customer',
      id: 1,
      values: { settings: { theme: 'dark', loop: '[cycle]' } },
    });
  });

  it('shared references cannot multiply the work: a fan-out of 10^20 paths is cut by the value budget', () => {
    let node: unknown = { field: 'name', op: 'eq', value: 'x' };
    for (let i = 0; i < 20; i++) node = { and: Array.from({ length: 10 }, () => node) };
    const result = sanitize('db_query', { model: 'Customer', where: node });
    expect(JSON.stringify(result)).toContain('"[truncated]"');
    expect(JSON.stringify(result).length).toBeLessThan(200_000);
  });

  it('`__proto__` and `constructor` keys: markers where names belong, plain keys inside a JSON value; nothing polluted', () => {
    const input = JSON.parse(
      `{"model":"Customer","__proto__":{"polluted":"${STRAY}"},"constructor":{"prototype":{"polluted":"${STRAY}"}},"values":{"__proto__":"${DENIED.ssn}","name":"Ann","settings":{"__proto__":{"polluted":"yes"}}},"where":{"field":"__proto__","op":"eq","value":"${STRAY}"}}`,
    );
    const result = sanitize('db_create', input);
    const out = result.input as { values: { settings: Record<string, unknown> } };
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(out.values.settings)).toBe(Object.prototype);
    expect(Object.hasOwn(out.values.settings, '__proto__')).toBe(true);
    expect(JSON.parse(JSON.stringify(out))).toEqual(
      JSON.parse(
        `{"model":"Customer","[unknown key 1]":"[redacted]","[unknown key 2]":"[redacted]","values":{"[unknown key 1]":"[redacted]","name":"Ann","settings":{"__proto__":{"polluted":"yes"}}},"where":{"field":"[unknown field]","op":"eq","value":"[redacted]"}}`,
      ),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(leaked(result)).toEqual([]);
  });

  it('values JSON has no word for become plain JSON; nothing throws', () => {
    const symbolKey = Symbol('hidden');
    const input = {
      model: 'Customer',
      values: {
        name: Symbol('n'),
        id: 12n,
        settings: { count: NaN, max: Infinity, min: -Infinity, at: new Date(0), bad: new Date(NaN), fn: () => STRAY, gone: undefined, map: new Map([['k', STRAY]]), bytes: new Uint8Array([1, 2]) },
      },
      [symbolKey]: STRAY,
      get where() {
        throw new Error(STRAY);
      },
      limit: NaN,
    };
    const result = sanitize('db_create', input);
    expect(result.input).toEqual({
      model: 'Customer',
      values: {
        name: '[unsupported]',
        id: '12',
        settings: { count: 'NaN', max: 'Infinity', min: '-Infinity', at: '1970-01-01T00:00:00.000Z', bad: 'Invalid Date', fn: '[unsupported]', map: '[redacted]', bytes: '[redacted]' },
      },
      where: '[redacted]', // the getter threw: its marker is text where a filter belongs
      limit: '[invalid]',
    });
    expect(leaked(result)).toEqual([]);
  });

  it('a revoked proxy, or one whose traps throw, anywhere in the input, leaves a marker', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const throwing = new Proxy({}, { ownKeys: () => { throw new Error(STRAY); }, getPrototypeOf: () => { throw new Error(STRAY); } });
    expect(sanitize('db_query', proxy)).toEqual({ input: '[unreadable]', reason: '[unreadable]' });
    expect(sanitize('db_query', { model: 'Customer', where: throwing, values: { settings: proxy } }).input).toEqual({
      model: 'Customer',
      where: '[unreadable]',
      values: { settings: '[unreadable]' },
    });
    const reasonGetter = { get reason() { throw new Error(STRAY); } };
    expect(sanitize('db_delete', reasonGetter)).toEqual({ input: {}, reason: '[unreadable]' });
  });

  it('a root that is not an object, and a reason that is not text', () => {
    expect(sanitize('db_query', `where ssn = ${DENIED.ssn}`)).toEqual({ input: '[redacted]', reason: null });
    expect(sanitize('db_query', undefined)).toEqual({ input: null, reason: null });
    expect(sanitize('db_query', [{ model: 'Customer', values: { ssn: DENIED.ssn } }]).input).toEqual([{ model: 'Customer', values: { ssn: '[redacted]' } }]);
    expect(sanitize('db_create', { model: 'Order', reason: { why: STRAY } })).toEqual({ input: { model: 'Order' }, reason: '[redacted]' });
    expect(sanitize('db_create', { model: 'Order', reason: `r ${SECRETS[1]} ${'y'.repeat(600)}` }).reason).toBe(`r [token] ${'y'.repeat(490)}…[623 chars]`);
  });
});
