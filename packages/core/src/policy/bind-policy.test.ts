import { describe, expect, it } from 'vitest';
import type { SchemaInfo } from '../schema-info.js';
import { bindPolicy } from './bind-policy.js';
import { definePolicy } from './define-policy.js';
import { matchesGlob } from './glob.js';

const field = (name: string, extra: Partial<SchemaInfo['models'][string]['fields'][string]> = {}) => ({
  name,
  type: 'string' as const,
  primaryKey: false,
  allowNull: true,
  indexed: false,
  ...extra,
});

const schema: SchemaInfo = {
  models: {
    Customer: {
      name: 'Customer',
      primaryKey: ['id'],
      fields: {
        id: field('id', { type: 'integer', primaryKey: true, indexed: true }),
        tenantId: field('tenantId', { indexed: true }),
        name: field('name'),
        email: field('email'),
        pw: field('pw', { column: 'password_hash' }),
        apiKey: field('apiKey'),
        notes: field('notes'),
        countryId: field('countryId', { type: 'integer' }),
        updatedAt: { ...field('updatedAt'), type: 'date', managed: true },
      },
      relations: {
        orders: { name: 'orders', kind: 'hasMany', target: 'Order', sourceKey: 'id', targetKey: 'customerId' },
        country: { name: 'country', kind: 'belongsTo', target: 'Country', sourceKey: 'countryId', targetKey: 'id' },
        tags: { name: 'tags', kind: 'unsupported', target: 'Tag', sourceKey: '', targetKey: '' },
      },
      indexes: [['tenantId', 'name']],
    },
    Order: {
      name: 'Order',
      primaryKey: ['id'],
      fields: { id: field('id', { type: 'integer', primaryKey: true }), tenantId: field('tenantId'), customerId: field('customerId', { type: 'integer' }) },
      relations: {},
    },
    Country: { name: 'Country', primaryKey: ['id'], fields: { id: field('id', { primaryKey: true }), code: field('code') }, relations: {} },
  },
};

const base = { tenantScope: { field: 'tenantId' } } as const;

describe('bindPolicy', () => {
  it('resolves field rules: model entry, then deny globs (name or column), then mask globs, then defaultField', () => {
    const bound = bindPolicy(
      definePolicy({ ...base, maskFields: { '*email*': 'email' }, models: { Customer: { fields: { apiKey: 'allow' } } } }),
      schema,
    );
    const rules = Object.fromEntries(Object.values(bound.models.Customer!.fields).map((f) => [f.name, f.rule]));
    expect(rules).toEqual({ id: 'allow', tenantId: 'deny', name: 'allow', email: 'email', pw: 'deny', apiKey: 'allow', notes: 'allow', countryId: 'allow', updatedAt: 'allow' });
    const allowList = bindPolicy(definePolicy({ ...base, models: { Customer: { defaultField: 'deny', fields: { id: 'allow', name: 'allow' } } } }), schema);
    // Mask globs come before defaultField (the documented precedence), so a masked field stays readable, masked.
    expect(allowList.models.Customer!.readable).toEqual(['id', 'name', 'email']);
  });

  it('layers budgets: global, then the tool, then the model', () => {
    const bound = bindPolicy(
      definePolicy({ ...base, budgets: { maxRows: 40, maxScanRows: 1_000 }, toolBudgets: { db_aggregate: { maxScanRows: 5_000, maxRows: 30 } }, models: { Customer: { budgets: { maxRows: 10 } } } }),
      schema,
    );
    const customer = bound.models.Customer!;
    expect(bound.budgetsFor(customer, 'db_query')).toMatchObject({ maxRows: 10, maxScanRows: 1_000 });
    expect(bound.budgetsFor(customer, 'db_aggregate')).toMatchObject({ maxRows: 10, maxScanRows: 5_000 });
  });

  it('never lets an undefined budget override (e.g. `maxRows: env ? n : undefined`) erase a limit', () => {
    const unset = undefined as number | undefined;
    const bound = bindPolicy(
      definePolicy({ ...base, budgets: { maxRows: 40 }, toolBudgets: { db_query: { maxScanRows: unset } }, models: { Customer: { budgets: { maxRows: unset } } } }),
      schema,
    );
    expect(bound.budgetsFor(bound.models.Customer!, 'db_query')).toMatchObject({ maxRows: 40, maxScanRows: expect.any(Number) });
  });

  it('requires a readable primary key: ids travel in cursors and db_get', () => {
    expect(() => bindPolicy(definePolicy({ ...base, models: { Customer: { fields: { id: 'hash' } } } }), schema)).toThrow(/primary key 'id' must be readable/);
  });

  it('treats the second column of a tenant-led index as indexed', () => {
    const bound = bindPolicy(definePolicy({ ...base, models: { Customer: {} } }), schema);
    expect(bound.models.Customer!.indexedFilterable).toEqual(['id', 'name']);
  });

  it('fails loudly on unknown models, fields, relations and missing tenant fields', () => {
    const attempt = () =>
      bindPolicy(
        definePolicy({
          ...base,
          models: { Customer: { fields: { ghost: 'deny' }, relations: ['orders', 'nope', 'tags'] }, Invoice: {} },
        }),
        schema,
      );
    expect(attempt).toThrow(/Invoice: no such model/);
    expect(attempt).toThrow(/fields.ghost: no such field/);
    expect(attempt).toThrow(/no relation 'nope'/);
    expect(attempt).toThrow(/many-to-many/);
    expect(attempt).toThrow(/leads to 'Order', which is not in the policy/);
  });

  it('refuses a relation from tenant-scoped data to a model without a tenant field unless marked tenant-free', () => {
    const unmarked = () => bindPolicy(definePolicy({ ...base, models: { Customer: { relations: ['country'] }, Country: {} } }), schema);
    expect(unmarked).toThrow(/Country: tenant field 'tenantId' does not exist/);
    const marked = bindPolicy(definePolicy({ ...base, models: { Customer: { relations: ['country'] }, Country: { tenantScope: false } } }), schema);
    expect(marked.models.Country!.tenantField).toBeNull();
  });

  it('checks write policies: readOnly, writable fields, soft delete, approval rules', () => {
    const write = (w: object, extra: object = {}) => () =>
      bindPolicy(definePolicy({ ...base, ...extra, models: { Customer: { write: { update: true, writableFields: ['name'], ...w } as never } } }), schema);
    expect(write({})).toThrow(/the policy is readOnly/);
    const rw = { readOnly: false };
    expect(write({ writableFields: ['tenantId', 'id', 'ghost'] }, rw)).toThrow(/'tenantId' can never be writable[\s\S]*'id' can never be writable[\s\S]*no such field 'ghost'/);
    expect(write({ writableFields: ['notes'], softDeleteField: 'notes' }, rw)).toThrow(/softDeleteField: 'notes' must be an existing date or boolean field/);
    expect(write({ writableFields: ['updatedAt'] }, rw)).toThrow(/'updatedAt' can never be writable/);
    expect(write({ delete: 'soft' }, rw)).toThrow(/softDeleteField: 'deletedAt' must be an existing date or boolean field/);
    const rule = { name: 'r', operations: ['update'], approverRoles: ['boss'], slaMs: 1000 };
    expect(write({ approvals: [{ ...rule, fieldsChanged: ['email'] }] }, rw)).toThrow(/fieldsChanged 'email' is not writable/);
    expect(write({ approvals: [{ ...rule, when: { field: 'nope', op: 'eq', value: 1 } }] }, rw)).toThrow(/approvals.r.when/);
    const bound = write({ approvals: [{ ...rule, when: { field: 'name', op: 'starts_with', value: 'VIP' } }] }, rw)();
    expect(bound.models.Customer!.write).toMatchObject({ operations: ['update'], requireReason: true, maxWritesPerMinute: 20, dryRunAbove: 10 });
    expect(bound.models.Customer!.write!.approvals[0]!.whenFilter).toEqual({ kind: 'cmp', field: 'name', op: 'starts_with', value: 'VIP' });
  });

  it('globs ignore case and separators', () => {
    expect(matchesGlob('API_KEY', '*apikey*')).toBe(true);
    expect(matchesGlob('userApiKey', '*api_key*')).toBe(true);
    expect(matchesGlob('resetPasswordToken', '*password*')).toBe(true);
    expect(matchesGlob('name', '*password*')).toBe(false);
    expect(matchesGlob('a.b', 'a*b')).toBe(true);
    expect(matchesGlob('axb', 'a.b')).toBe(false);
  });
});
