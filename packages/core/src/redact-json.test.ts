import { describe, expect, it } from 'vitest';
import { randomKey } from './crypto.js';
import { definePolicy } from './policy/define-policy.js';
import { projectionFields } from './authorize/select.js';
import { bindPolicy } from './policy/bind-policy.js';
import { nestedKeyRule } from './policy/glob-rule.js';
import { projectRow, type Projection } from './redact.js';
import type { FieldType, SchemaInfo } from './schema-info.js';

const key = randomKey();
const nested = nestedKeyRule(definePolicy({ tenantScope: false, models: {} }));
const project = (value: unknown, rule: Projection['fields'][number]['rule'] = 'allow') =>
  projectRow({ settings: value }, { fields: [{ name: 'settings', rule, nested }], includes: [] }, key).settings;

describe('secrets inside JSON values', () => {
  it('removes denied keys and masks PII keys at any depth, in objects and arrays', () => {
    expect(
      project({ api_key: 'K', theme: 'dark', admin: { password: 'P', contactEmail: 'jane@x.org' }, list: [{ token: 'T', label: 'ci' }], phones: ['+1 555 0100 4242'] }),
    ).toEqual({ theme: 'dark', admin: { contactEmail: 'j***@x.org' }, list: [{ label: 'ci' }], phones: ['***4242'] });
  });

  it('masks a structured value under a masked key without showing its keys', () => {
    expect(project({ ownerEmail: { 'jane@x.org': 'admin' } })).toEqual({ ownerEmail: '[REDACTED]' });
  });

  it('leaves JSON strings and numbers alone: values are not keys', () => {
    expect(project('password')).toBe('password');
    expect(project([1, 'token', null])).toEqual([1, 'token', null]);
  });

  it('keeps a __proto__ key a plain key', () => {
    const out = project(JSON.parse('{"__proto__": {"x": 1}, "secret": "S"}')) as object;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"x":1}}');
  });

  it('redacts whatever lies past the depth limit instead of walking it', () => {
    let deep: unknown = { password: 'DEEP-SECRET' };
    for (let i = 0; i < 5_000; i++) deep = [deep];
    const text = JSON.stringify(project(deep));
    expect(text).toContain('[REDACTED]');
    expect(text).not.toContain('DEEP-SECRET');
  });

  it('a masked JSON field is masked element by element, objects whole', () => {
    expect(project(['a@b.org', { c: 'd' }], 'email')).toEqual(['a***@b.org', '[REDACTED]']);
    expect(project({ a: 1 }, 'hash')).toMatch(/^hmac:[0-9a-f]{32}$/);
  });
});

describe('secrets inside values that carry keys of their own', () => {
  it('JSON stored as a string inside a JSON value is redacted like the value around it', () => {
    const inner = JSON.stringify({ password: 'hunter2', apiKey: 'sk-live-123', theme: 'dark', owner: { email: 'jane@x.org' } });
    expect(project({ inner, list: [` ${JSON.stringify([{ token: 'T' }])}`] })).toEqual({
      inner: JSON.stringify({ theme: 'dark', owner: { email: 'j***@x.org' } }),
      list: [JSON.stringify([{}])],
    });
  });

  it('a string that only looks like JSON, or a top-level JSON string, is shown as stored', () => {
    expect(project({ note: '{not json, password: x}', list: ['[1, 2'] })).toEqual({ note: '{not json, password: x}', list: ['[1, 2'] });
    expect(project('{"password":"P"}')).toBe('{"password":"P"}');
  });

  it('JSON text too long to parse is redacted whole, not shown', () => {
    const big = JSON.stringify({ password: 'BIG-SECRET', pad: 'x'.repeat(70_000) });
    expect(project({ big })).toEqual({ big: '[REDACTED]' });
  });

  it('JSON text past the depth limit, counted through the strings that hold it, is redacted, not walked', () => {
    let nested: unknown = [JSON.stringify({ password: 'DEEP-SECRET' })];
    for (let i = 0; i < 40; i++) nested = [nested];
    const deep = JSON.stringify(nested);
    const text = JSON.stringify(project({ deep }));
    expect(text).toContain('[REDACTED]');
    expect(text).not.toContain('DEEP-SECRET');
  });

  it('name/value pair objects are judged by the name: denied values replaced, masked values masked', () => {
    expect(
      project({
        tags: [{ Key: 'api_key', Value: 'AKIA-SECRET' }, { Key: 'env', Value: 'prod' }],
        env: [{ name: 'DB_PASSWORD', value: 'pw-1' }, { key: 'ownerEmail', value: 'jane@x.org' }, { k: 'sid2', v: 'sess-1' }],
      }),
    ).toEqual({
      tags: [{ Key: 'api_key', Value: '[REDACTED]' }, { Key: 'env', Value: 'prod' }],
      env: [{ name: 'DB_PASSWORD', value: '[REDACTED]' }, { key: 'ownerEmail', value: 'j***@x.org' }, { k: 'sid2', v: '[REDACTED]' }],
    });
  });

  it('a denied pair value is replaced whatever its shape, a structured one included', () => {
    expect(project([{ name: 'token', value: { id: 'tok-1' } }, ['secret', ['s-1', 's-2']]])).toEqual([
      { name: 'token', value: '[REDACTED]' },
      ['secret', '[REDACTED]'],
    ]);
  });

  it('pair arrays [name, value] are judged by the name', () => {
    expect(project({ pairs: [['token', 'tok-abc'], ['phone', '+1 555 0100 4242'], ['theme', 'dark']] })).toEqual({
      pairs: [['token', '[REDACTED]'], ['phone', '***4242'], ['theme', 'dark']],
    });
  });

  it('an allowed pair value is still walked', () => {
    expect(project([{ key: 'config', value: { password: 'P', port: 5432 } }, ['headers', { Authorization: 'Bearer X' }]])).toEqual([
      { key: 'config', value: { port: 5432 } },
      ['headers', {}],
    ]);
  });
});

describe('structured values the schema does not call JSON', () => {
  const ENDPOINTS = [{ url: 'https://x', api_key: 'SECRET-1' }, { headers: { Authorization: 'Bearer SECRET-2' } }];

  it('are walked like JSON whatever type the adapter reported (an array of JSONB, an unknown type)', () => {
    const column = (type: FieldType) => ({ name: 'endpoints', type, primaryKey: false, allowNull: true, indexed: false });
    for (const type of ['other', 'string'] as const) {
      const schema: SchemaInfo = {
        models: { Hook: { name: 'Hook', primaryKey: ['id'], fields: { id: { ...column('integer'), name: 'id', primaryKey: true }, endpoints: column(type) }, relations: {} } },
      };
      const hook = bindPolicy(definePolicy({ tenantScope: false, models: { Hook: {} } }), schema).models.Hook!;
      const row = projectRow({ id: 1, endpoints: ENDPOINTS }, { fields: projectionFields(hook, ['id', 'endpoints']), includes: [] }, key);
      expect(row.endpoints, type).toEqual([{ url: 'https://x' }, { headers: {} }]);
    }
  });

  it('a driver object that is not plain JSON is redacted whole, its properties unchecked', () => {
    class Credentials {
      user = 'ops';
      password = 'SECRET-3';
    }
    expect(project({ owner: new Credentials(), list: [new Credentials()] })).toEqual({ owner: '[REDACTED]', list: ['[REDACTED]'] });
  });

  it('are redacted whole when the projection has no rule for their keys: fail closed, never in clear', () => {
    const row = projectRow({ endpoints: ENDPOINTS, name: 'plain' }, { fields: [{ name: 'endpoints', rule: 'allow' }, { name: 'name', rule: 'allow' }], includes: [] }, key);
    expect(row).toEqual({ endpoints: '[REDACTED]', name: 'plain' });
  });
});
