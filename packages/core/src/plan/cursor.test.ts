import { describe, expect, it } from 'vitest';
import { randomKey } from '../crypto.js';
import { OrmAIError } from '../errors.js';
import { decodeCursor, encodeCursor, type CursorScope } from './cursor.js';
import { keysetFilter } from './keyset.js';

const scope: CursorScope = { tenantId: 'acme', model: 'Order', orderBy: [{ field: 'amount', direction: 'desc' }, { field: 'id', direction: 'asc' }] };

describe('cursor', () => {
  const key = randomKey();

  it('round-trips the sort-key values', () => {
    const cursor = encodeCursor(key, scope, [null, 42]);
    expect(decodeCursor(key, scope, cursor)).toEqual([null, 42]);
  });

  it('refuses another key, tenant, model or order', () => {
    const cursor = encodeCursor(key, scope, [10, 42]);
    const refused = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return OrmAIError.isInstance(error) && error.code === 'invalid_input';
      }
      return false;
    };
    expect(refused(() => decodeCursor(randomKey(), scope, cursor))).toBe(true);
    expect(refused(() => decodeCursor(key, { ...scope, tenantId: 'globex' }, cursor))).toBe(true);
    expect(refused(() => decodeCursor(key, { ...scope, model: 'Customer' }, cursor))).toBe(true);
    expect(refused(() => decodeCursor(key, { ...scope, orderBy: [{ field: 'id', direction: 'asc' }] }, cursor))).toBe(true);
    expect(refused(() => decodeCursor(key, scope, `${cursor}x`))).toBe(true);
  });
});

describe('keysetFilter', () => {
  it('expands to (k1 after v1) OR (k1 = v1 AND k2 after v2)', () => {
    expect(keysetFilter(scope.orderBy, [10, 42])).toEqual({
      kind: 'or',
      children: [
        { kind: 'cmp', field: 'amount', op: 'lt', value: 10 },
        {
          kind: 'and',
          children: [
            { kind: 'cmp', field: 'amount', op: 'eq', value: 10 },
            { kind: 'or', children: [{ kind: 'cmp', field: 'id', op: 'gt', value: 42 }, { kind: 'cmp', field: 'id', op: 'is_null', value: true }] },
          ],
        },
      ],
    });
  });

  it('places nulls last ascending and first descending', () => {
    const afterNullDesc = (keysetFilter([{ field: 'a', direction: 'desc' }], [null]) as any).children[0];
    expect(afterNullDesc).toEqual({ kind: 'cmp', field: 'a', op: 'is_null', value: false });
    const afterNullAsc = (keysetFilter([{ field: 'a', direction: 'asc' }], [null]) as any).children[0];
    expect(afterNullAsc).toEqual({ kind: 'or', children: [] });
  });
});
