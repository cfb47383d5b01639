import { describe, expect, it } from 'vitest';
import { CLEAR, DENIED, leaked, sanitize } from './sanitize-fixture.corpus.js';

/**
 * Names are agent-chosen text too: a denied or clear masked value put where a name goes (model, field,
 * relation, select/groupBy entry, object key) must not reach the record. Only names the policy knows at
 * that position are kept.
 */
describe('sanitizeAuditInput: values at name positions', () => {
  it('a value as the model: a fixed marker, not the text', () => {
    const result = sanitize('db_query', { model: CLEAR.email, where: { field: 'name', op: 'eq', value: 'Ann' } });
    expect(result.input).toEqual({ model: '[unknown model]', where: { field: '[unknown field]', op: 'eq', value: '[redacted]' } });
    expect(leaked(result)).toEqual([]);
  });

  it('a value as a field, a select, groupBy or orderBy entry, a relation: fixed markers', () => {
    const result = sanitize('db_query', {
      model: 'Customer',
      select: ['name', DENIED.ssn, CLEAR.card],
      where: { or: [{ field: DENIED.passwordHash, op: 'eq', value: 1 }, { field: CLEAR.email, op: 'is_null', value: true }] },
      orderBy: [{ field: DENIED.giftCode, direction: 'asc' }],
      include: [{ relation: DENIED.tenantId, select: ['total'] }],
    });
    expect(result.input).toEqual({
      model: 'Customer',
      select: ['name', '[unknown field]', '[unknown field]'],
      where: { or: [{ field: '[unknown field]', op: 'eq', value: '[redacted]' }, { field: '[unknown field]', op: 'is_null', value: '[redacted]' }] },
      orderBy: [{ field: '[unknown field]', direction: 'asc' }],
      include: [{ relation: '[unknown relation]', select: ['[unknown field]'] }],
    });
    const aggregate = sanitize('db_aggregate', { model: 'Order', op: 'count', field: DENIED.giftCode, groupBy: ['status', DENIED.ssn] });
    expect(aggregate.input).toEqual({ model: 'Order', op: 'count', field: '[unknown field]', groupBy: ['status', '[unknown field]'] });
    expect(leaked(result)).toEqual([]);
    expect(leaked(aggregate)).toEqual([]);
  });

  it('values as object keys, at the root, in a filter and in written values: numbered markers, values redacted', () => {
    const result = sanitize('db_update', {
      model: 'Customer',
      id: 1,
      [DENIED.ssn]: 1,
      [CLEAR.email]: 2,
      where: { [DENIED.passwordHash]: 1, field: 'name', op: 'eq', value: 'Ann' },
      values: { name: 'Ann', [CLEAR.card]: 'x', [DENIED.giftCode]: 'y' },
    });
    expect(result.input).toEqual({
      model: 'Customer',
      id: 1,
      '[unknown key 1]': '[redacted]',
      '[unknown key 2]': '[redacted]',
      where: { '[unknown key 1]': '[redacted]', field: 'name', op: 'eq', value: 'Ann' },
      values: { name: 'Ann', '[unknown key 1]': '[redacted]', '[unknown key 2]': '[redacted]' },
    });
    expect(leaked(result)).toEqual([]);
  });

  it('names the policy knows stay, whatever their rule: a denied field’s name is not its value', () => {
    const result = sanitize('db_update', {
      model: 'Customer',
      id: 1,
      select: ['ssn', 'email', 'tenantId'],
      where: { field: 'passwordHash', op: 'eq', value: DENIED.passwordHash },
      values: { ssn: DENIED.ssn, email: CLEAR.email },
      include: [{ relation: 'orders', select: ['giftCode'] }],
    });
    expect(result.input).toEqual({
      model: 'Customer',
      id: 1,
      select: ['ssn', 'email', 'tenantId'],
      where: { field: 'passwordHash', op: 'eq', value: '[redacted]' },
      values: { ssn: '[redacted]', email: 'j***@example.com' },
      include: [{ relation: 'orders', select: ['giftCode'] }],
    });
  });

  it('a name is known only at its own position: another model’s field or relation is unknown', () => {
    const result = sanitize('db_query', {
      model: 'Order',
      select: ['email'], // a Customer field
      include: [{ relation: 'orders' }], // a Customer relation
      values: { card: 'x' },
    });
    expect(result.input).toEqual({
      model: 'Order',
      select: ['[unknown field]'],
      include: [{ relation: '[unknown relation]' }],
      values: { '[unknown key 1]': '[redacted]' },
    });
  });
});
