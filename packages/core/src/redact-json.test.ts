import { describe, expect, it } from 'vitest';
import { randomKey } from './crypto.js';
import { definePolicy } from './policy/define-policy.js';
import { nestedKeyRule } from './policy/glob-rule.js';
import { projectRow, type Projection } from './redact.js';

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
