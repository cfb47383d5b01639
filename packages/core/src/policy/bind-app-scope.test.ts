import { describe, expect, it } from 'vitest';
import { scopePredicate } from '../authorize/scope.js';
import type { FieldInfo, ModelInfo } from '../schema-info.js';
import { bindPolicy } from './bind-policy.js';
import { definePolicy } from './define-policy.js';
import type { ModelPolicy } from '../spec/policy.js';

const field = (name: string, extra: Partial<FieldInfo> = {}): FieldInfo => ({ name, type: 'string', primaryKey: false, allowNull: true, indexed: false, ...extra });

const post = (extra: Partial<ModelInfo> = {}, fields: Record<string, FieldInfo> = {}): ModelInfo => ({
  name: 'Post',
  primaryKey: ['id'],
  fields: {
    id: field('id', { type: 'integer', primaryKey: true, indexed: true }),
    title: field('title'),
    published: field('published', { type: 'boolean' }),
    removedAt: field('removedAt', { type: 'date', managed: true }),
    ...fields,
  },
  relations: {},
  ...extra,
});

const bind = (info: ModelInfo, spec: ModelPolicy = {}) =>
  bindPolicy(definePolicy({ profile: 'internal', tenantScope: false, models: { Post: spec } }), { models: { Post: info } }).models.Post!;

describe('what the application hides (paranoid, defaultScope)', () => {
  it('a paranoid model hides soft-deleted rows without any policy setting, and soft deletes through that field', () => {
    const model = bind(post({ softDelete: { field: 'removedAt', type: 'date' } }), { write: { delete: 'soft', writableFields: ['title'] } });
    expect(model.softDeleteField).toEqual({ name: 'removedAt', type: 'date' });
    expect(scopePredicate(model, null)).toEqual({ kind: 'cmp', field: 'removedAt', op: 'is_null', value: true });
    expect(bind(post({ softDelete: { field: 'removedAt', type: 'date' } })).softDeleteField?.name).toBe('removedAt');
  });

  it('refuses another soft-delete field or a hard delete on a paranoid model', () => {
    const paranoid = post({ softDelete: { field: 'removedAt', type: 'date' } }, { hiddenAt: field('hiddenAt', { type: 'date' }) });
    expect(() => bind(paranoid, { write: { writableFields: [], softDeleteField: 'hiddenAt' } })).toThrow(/paranoid and soft-deleted through 'removedAt'/);
    expect(() => bind(paranoid, { write: { delete: true, writableFields: [] } })).toThrow(/paranoid: use delete: 'soft'/);
  });

  it('a default-scope equality joins the scope predicate; an impossible one refuses the model', () => {
    const model = bind(post({ defaultFilter: [{ field: 'published', value: true }, { field: 'removedAt', value: null }] }));
    expect(scopePredicate(model, null)).toEqual({
      kind: 'and',
      children: [
        { kind: 'cmp', field: 'published', op: 'eq', value: true },
        { kind: 'cmp', field: 'removedAt', op: 'is_null', value: true },
      ],
    });
    expect(() => bind(post({ defaultFilter: [{ field: 'published', value: 'yes' }] }))).toThrow(/models\.Post: its defaultScope compares 'published'/);
    expect(() => bind(post({ unsupported: ['its defaultScope uses `include`'] }))).toThrow(/models\.Post: its defaultScope uses `include`/);
  });

  it('a field the default scope excludes is denied, and an explicit rule for it is refused', () => {
    const info = post({}, { memo: field('memo', { hidden: true }) });
    const model = bind(info);
    expect(model.fields.memo!.rule).toBe('deny');
    expect(model.readable).not.toContain('memo');
    expect(() => bind(info, { fields: { memo: 'allow' } })).toThrow(/fields\.memo: the model's defaultScope excludes it/);
  });
});
