import { describe, expect, it } from 'vitest';
import { randomKey } from './crypto.js';
import { maskValue, projectRow } from './redact.js';

describe('masking', () => {
  const key = randomKey();

  it('masks by strategy', () => {
    expect(maskValue('email', 'jane.doe@example.com', key)).toBe('j***@example.com');
    expect(maskValue('email', 'not-an-email', key)).toBe('***');
    expect(maskValue('last4', '+1 555 0100 4242', key)).toBe('***4242');
    expect(maskValue('last4', '42', key)).toBe('****');
    expect(maskValue('full', 'anything', key)).toBe('[REDACTED]');
    expect(maskValue('email', null, key)).toBeNull();
  });

  it('hashes with a key: stable for equal values, different across keys', () => {
    const a = maskValue('hash', 'GOLD', key);
    expect(a).toBe(maskValue('hash', 'GOLD', key));
    expect(a).not.toBe(maskValue('hash', 'SILVER', key));
    expect(a).not.toBe(maskValue('hash', 'GOLD', randomKey()));
  });

  it('projects only listed fields, recursively, dropping whatever else was fetched', () => {
    const row = { id: 1, email: 'a@b.c', secret: 's', __ormai_rn: 1, orders: [{ id: 2, total: 3, customerId: 1 }], owner: null };
    const projected = projectRow(
      row,
      {
        fields: [{ name: 'id', rule: 'allow' }, { name: 'email', rule: 'email' }],
        includes: [
          { relation: 'orders', many: true, projection: { fields: [{ name: 'id', rule: 'allow' }], includes: [] } },
          { relation: 'owner', many: false, projection: { fields: [{ name: 'id', rule: 'allow' }], includes: [] } },
        ],
      },
      key,
    );
    expect(projected).toEqual({ id: 1, email: 'a***@b.c', orders: [{ id: 2 }], owner: null });
  });
});
