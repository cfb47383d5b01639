import { describe, expect, it } from 'vitest';
import { maskValue } from '../redact.js';
import { bound, CLEAR, DENIED, hashKey, leaked, sanitize, SECRETS, STRAY } from './sanitize-fixture.corpus.js';
import { sanitizeAuditInput } from './sanitize-input.js';

/** Every tool's input, valid as the tool would accept it: allowed values kept, masked ones masked, denied ones redacted. */
describe('sanitizeAuditInput: the tools’ inputs', () => {
  it('db_query: filters judged field by field, includes against the related model, the cursor replaced', () => {
    const result = sanitize('db_query', {
      model: 'Customer',
      select: ['name', 'email', 'ssn'],
      where: {
        and: [
          { field: 'name', op: 'eq', value: 'Alice' },
          { field: 'email', op: 'in', value: [CLEAR.email, 'bob@ex.com'] },
          { field: 'card', op: 'between', value: [CLEAR.card, '5500000000000004'] },
          { not: { field: 'ssn', op: 'eq', value: DENIED.ssn } },
          { or: [{ field: 'tenantId', op: 'eq', value: DENIED.tenantId }, { field: 'id', op: 'is_null', value: false }] },
        ],
      },
      orderBy: [{ field: 'name', direction: 'desc' }],
      limit: 10,
      cursor: 'eyJsYXN0IjoiamFuZSJ9.bWFj',
      include: [{ relation: 'orders', select: ['total'], limit: 5, where: { field: 'giftCode', op: 'eq', value: DENIED.giftCode } }],
    });
    expect(result).toEqual({
      input: {
        model: 'Customer',
        select: ['name', 'email', 'ssn'],
        where: {
          and: [
            { field: 'name', op: 'eq', value: 'Alice' },
            { field: 'email', op: 'in', value: ['j***@example.com', 'b***@ex.com'] },
            { field: 'card', op: 'between', value: ['***1111', '***0004'] },
            { not: { field: 'ssn', op: 'eq', value: '[redacted]' } },
            { or: [{ field: 'tenantId', op: 'eq', value: '[redacted]' }, { field: 'id', op: 'is_null', value: false }] },
          ],
        },
        orderBy: [{ field: 'name', direction: 'desc' }],
        limit: 10,
        cursor: '[cursor]',
        include: [{ relation: 'orders', select: ['total'], limit: 5, where: { field: 'giftCode', op: 'eq', value: '[redacted]' } }],
      },
      reason: null,
    });
  });

  it('db_get: the id kept, included rows judged by their own model', () => {
    const result = sanitize('db_get', {
      model: 'Customer',
      id: 42,
      select: ['name'],
      include: [{ relation: 'orders', where: { and: [{ field: 'status', op: 'eq', value: 'paid' }, { field: 'tenantId', op: 'eq', value: DENIED.tenantId }] } }],
    });
    expect(result.input).toEqual({
      model: 'Customer',
      id: 42,
      select: ['name'],
      include: [{ relation: 'orders', where: { and: [{ field: 'status', op: 'eq', value: 'paid' }, { field: 'tenantId', op: 'eq', value: '[redacted]' }] } }],
    });
  });

  it('db_aggregate and db_describe_schema', () => {
    expect(sanitize('db_aggregate', { model: 'Order', op: 'sum', field: 'total', where: { field: 'customerId', op: 'eq', value: 7 }, groupBy: ['status'] }).input).toEqual({
      model: 'Order',
      op: 'sum',
      field: 'total',
      where: { field: 'customerId', op: 'eq', value: 7 },
      groupBy: ['status'],
    });
    expect(sanitize('db_describe_schema', { model: 'Order' }).input).toEqual({ model: 'Order' });
    expect(sanitize('db_describe_schema', {}).input).toEqual({});
  });

  it('db_create / db_update: values by the rule of the field written; the reason returned apart, scrubbed', () => {
    const values = { name: 'Ann', email: CLEAR.email, card: CLEAR.card, ssn: DENIED.ssn, passwordHash: DENIED.passwordHash, tenantId: DENIED.tenantId };
    const expected = { name: 'Ann', email: 'j***@example.com', card: '***1111', ssn: '[redacted]', passwordHash: '[redacted]', tenantId: '[redacted]' };
    const reason = `customer asked; their key is ${SECRETS[0]}`;
    expect(sanitize('db_create', { model: 'Customer', values, reason })).toEqual({
      input: { model: 'Customer', values: expected },
      reason: 'customer asked; their key is [token]',
    });
    expect(sanitize('db_update', { model: 'Customer', id: '42', values, reason: 'fix' })).toEqual({ input: { model: 'Customer', id: '42', values: expected }, reason: 'fix' });
  });

  it('db_delete, db_bulk_update, db_preview_write, db_approval_status', () => {
    expect(sanitize('db_delete', { model: 'Order', id: 9, reason: 'duplicate' })).toEqual({ input: { model: 'Order', id: 9 }, reason: 'duplicate' });
    const where = { field: 'giftCode', op: 'in', value: [DENIED.giftCode] };
    expect(sanitize('db_bulk_update', { model: 'Order', where, values: { status: 'void', giftCode: DENIED.giftCode }, reason: 'r', previewId: 'p-1.mac' })).toEqual({
      input: { model: 'Order', where: { field: 'giftCode', op: 'in', value: '[redacted]' }, values: { status: 'void', giftCode: '[redacted]' }, previewId: 'p-1.mac' },
      reason: 'r',
    });
    expect(sanitize('db_preview_write', { operation: 'update', model: 'Customer', id: 3, values: { email: CLEAR.email } }).input).toEqual({
      operation: 'update',
      model: 'Customer',
      id: 3,
      values: { email: 'j***@example.com' },
    });
    expect(sanitize('db_approval_status', { approvalId: 'apr_123' }).input).toEqual({ approvalId: 'apr_123' });
  });

  it('approvals actions: the approval id kept, the note scrubbed and capped, any other key marked unknown', () => {
    const note = `approved, rotate ${SECRETS[1]} after`;
    expect(sanitize('approvals.approve', { approvalId: 'apr_1', note }).input).toEqual({ approvalId: 'apr_1', note: 'approved, rotate [token] after' });
    expect(sanitize('approvals.deny', { approvalId: 'apr_1', note: 'x'.repeat(300), model: 'Customer' }).input).toEqual({
      approvalId: 'apr_1',
      note: `${'x'.repeat(200)}…[300 chars]`,
      '[unknown key 1]': '[redacted]', // `model` is no key of an approvals action
    });
    expect(sanitize('approvals.expire', { approvalId: 'apr_1' }).input).toEqual({ approvalId: 'apr_1' });
  });

  it('a hash mask stores the keyed hash: equal values join across records, the clear value is gone', () => {
    const first = sanitize('db_update', { model: 'Customer', id: 1, values: { loyaltyId: 'L-778812' } });
    const second = sanitize('db_query', { model: 'Customer', where: { field: 'loyaltyId', op: 'in', value: ['L-778812'] } });
    const hashed = maskValue('hash', 'L-778812', hashKey);
    expect(hashed).toMatch(/^hmac:[0-9a-f]{32}$/); // not scrubbed into '[token]', though it looks like one
    expect(first.input).toEqual({ model: 'Customer', id: 1, values: { loyaltyId: hashed } });
    expect(second.input).toEqual({ model: 'Customer', where: { field: 'loyaltyId', op: 'in', value: [hashed] } });
  });


  it('an id is judged by the primary key rule, should a bound policy ever mask or deny it', () => {
    // bindPolicy refuses such a policy; the sanitizer must not rely on that.
    const customer = bound.models.Customer!;
    const withKey = (rule: 'hash' | 'deny') => ({ ...bound, models: { ...bound.models, Customer: { ...customer, fields: { ...customer.fields, id: { ...customer.fields.id!, rule } } } } });
    expect(sanitizeAuditInput('db_get', { model: 'Customer', id: 42 }, withKey('hash'), hashKey).input).toEqual({ model: 'Customer', id: maskValue('hash', 42, hashKey) });
    expect(sanitizeAuditInput('db_delete', { model: 'Customer', id: 42 }, withKey('deny'), hashKey).input).toEqual({ model: 'Customer', id: '[redacted]' });
  });
});

/** Input the tools would refuse: it is recorded anyway, and must not leak through its odd shape. */
describe('sanitizeAuditInput: invalid inputs', () => {
  it('an unknown model: marked, its fields unknown, every value in it redacted', () => {
    const result = sanitize('db_query', { model: 'Payroll', where: { field: 'salary', op: 'gt', value: DENIED.ssn }, select: ['salary'] });
    expect(result.input).toEqual({ model: '[unknown model]', where: { field: '[unknown field]', op: 'gt', value: '[redacted]' }, select: ['[unknown field]'] });
  });

  it('unknown keys, fields and relations become numbered or fixed markers; their values are redacted', () => {
    const result = sanitize('db_query', {
      model: 'Customer',
      extra: STRAY,
      [`token ${SECRETS[0]}`]: { nested: STRAY },
      note: STRAY,
      where: { field: 'nickname', op: 'eq', value: STRAY, hint: STRAY },
      include: [{ relation: 'invoices', where: { field: 'status', op: 'eq', value: STRAY } }],
    });
    expect(result.input).toEqual({
      model: 'Customer',
      '[unknown key 1]': '[redacted]',
      '[unknown key 2]': '[redacted]',
      '[unknown key 3]': '[redacted]',
      where: { field: '[unknown field]', op: 'eq', value: '[redacted]', '[unknown key 1]': '[redacted]' },
      include: [{ relation: '[unknown relation]', where: { field: '[unknown field]', op: 'eq', value: '[redacted]' } }],
    });
  });

  it('values at the wrong places: text where a filter belongs, values under names, bad enums and limits', () => {
    const result = sanitize('db_query', {
      model: 'Customer',
      where: `ssn = '${DENIED.ssn}'`,
      select: [{ ssn: DENIED.ssn }, 'name'],
      orderBy: [{ field: 'name', direction: DENIED.ssn }],
      limit: DENIED.ssn,
      op: DENIED.ssn,
      values: [DENIED.ssn],
      id: { $ne: DENIED.ssn },
      value: DENIED.passwordHash, // a value with no field beside it
    });
    expect(result.input).toEqual({
      model: 'Customer',
      where: '[redacted]',
      select: ['[redacted]', 'name'],
      orderBy: [{ field: 'name', direction: '[invalid]' }],
      limit: '[invalid]',
      op: '[invalid]',
      values: '[redacted]',
      id: '[redacted]',
      value: '[redacted]',
    });
  });

  it('a masked field inside an in-list and a denied field under an include: masked and redacted', () => {
    const result = sanitize('db_query', {
      model: 'Order',
      include: [{ relation: 'orders' }], // Order has no such relation: nothing under it is judged allowed
    });
    expect(result.input).toEqual({ model: 'Order', include: [{ relation: '[unknown relation]' }] });
    const nested = sanitize('db_get', {
      model: 'Customer',
      id: 1,
      include: [{ relation: 'orders', where: { or: [{ field: 'giftCode', op: 'in', value: [DENIED.giftCode, 'x'] }, { field: 'email', op: 'in', value: [CLEAR.email] }] } }],
    });
    // Order has no email field: under the include, the customer's masked field is unknown, so redacted.
    expect(nested.input).toMatchObject({ include: [{ where: { or: [{ field: 'giftCode', value: '[redacted]' }, { field: '[unknown field]', value: '[redacted]' }] } }] });
    expect(leaked(nested)).toEqual([]);
  });

  it('secrets in an allowed field are scrubbed; a 10 kB string is capped with its length', () => {
    const result = sanitize('db_query', {
      model: 'Customer',
      where: { and: [{ field: 'name', op: 'eq', value: `key ${SECRETS[0]} and ${SECRETS[1]}` }, { field: 'name', op: 'contains', value: 'x'.repeat(10_000) }] },
    });
    expect(result.input).toMatchObject({ where: { and: [{ value: 'key [token] and [token]' }, { value: `${'x'.repeat(200)}…[10000 chars]` }] } });
  });

  it('a secret cut by the scrub bound is not left half-kept', () => {
    const long = `${'word '.repeat(819)}xx ${SECRETS[0]}`; // the key straddles the 4,096th character
    const kept = sanitize('db_query', { model: 'Customer', where: { field: 'name', op: 'eq', value: long } });
    expect(JSON.stringify(kept)).not.toContain('sk_live');
  });

  it('JSON values: keys judged by the deny and mask globs, in objects and in JSON text', () => {
    const result = sanitize('db_update', {
      model: 'Customer',
      id: 1,
      values: { settings: { theme: 'dark', apiToken: STRAY, contact: { email: CLEAR.email } } },
    });
    expect(result.input).toEqual({ model: 'Customer', id: 1, values: { settings: { theme: 'dark', apiToken: '[redacted]', contact: { email: 'j***@example.com' } } } });
    const text = sanitize('db_create', { model: 'Customer', values: { settings: JSON.stringify({ theme: 'dark', password: STRAY, ssn: DENIED.ssn }) } });
    expect(text.input).toEqual({ model: 'Customer', values: { settings: '{"theme":"dark","password":"[credential]","ssn":"[redacted]"}' } }); // the scrub sees a labelled password too
    expect(sanitize('db_create', { model: 'Customer', values: { name: `{"password": "${STRAY}"` } }).input).toEqual({
      model: 'Customer',
      values: { name: '{"password": "[credential]"' }, // not JSON: scrubbed as text
    });
  });

  it('lists and objects are capped, with what was left out counted', () => {
    const result = sanitize('db_query', {
      model: 'Customer',
      where: { field: 'name', op: 'in', value: Array.from({ length: 120 }, (_, i) => `n${i}`) },
      select: Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`k${i}`, i])),
    });
    const where = (result.input as { where: { value: string[] } }).where;
    expect(where.value).toHaveLength(51);
    expect(where.value.at(-1)).toBe('…[70 more]');
    expect(result.input).toMatchObject({ select: '[redacted]' }); // an object where names belong
    const wide = sanitize('db_query', Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`k${i}`, i]))).input as Record<string, unknown>;
    expect(Object.keys(wide)).toHaveLength(51);
    expect(wide['[unknown key 50]']).toBe('[redacted]');
    expect(wide['…']).toBe('[30 more keys]');
  });
});
