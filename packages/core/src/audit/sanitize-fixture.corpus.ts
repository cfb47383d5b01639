import { bindPolicy } from '../policy/bind-policy.js';
import { definePolicy } from '../policy/define-policy.js';
import type { FieldInfo, SchemaInfo } from '../schema-info.js';
import { sanitizeAuditInput } from './sanitize-input.js';

/** Test data for the audit input sanitizer: a bound policy with every kind of field, and values that must never be stored. */

const field = (name: string, extra: Partial<FieldInfo> = {}): FieldInfo => ({ name, type: 'string', primaryKey: false, allowNull: true, indexed: false, ...extra });

const schema: SchemaInfo = {
  models: {
    Customer: {
      name: 'Customer',
      primaryKey: ['id'],
      fields: {
        id: field('id', { type: 'integer', primaryKey: true, indexed: true }),
        tenantId: field('tenantId', { indexed: true }),
        name: field('name'),
        email: field('email'), // masked 'email' by the profile's glob
        card: field('card'), // masked 'last4' by the model
        loyaltyId: field('loyaltyId'), // masked 'hash' by the model
        ssn: field('ssn'), // denied by the profile's glob
        passwordHash: field('passwordHash'), // denied by the profile's glob
        settings: field('settings', { type: 'json' }),
      },
      relations: { orders: { name: 'orders', kind: 'hasMany', target: 'Order', sourceKey: 'id', targetKey: 'customerId' } },
    },
    Order: {
      name: 'Order',
      primaryKey: ['id'],
      fields: {
        id: field('id', { type: 'integer', primaryKey: true }),
        tenantId: field('tenantId'),
        customerId: field('customerId', { type: 'integer' }),
        total: field('total', { type: 'number' }),
        status: field('status'),
        giftCode: field('giftCode'), // denied by the model
      },
      relations: {},
    },
  },
};

export const bound = bindPolicy(
  definePolicy({
    profile: 'internal',
    tenantScope: { field: 'tenantId' },
    models: {
      Customer: { fields: { card: 'last4', loyaltyId: 'hash' }, relations: ['orders'] },
      Order: { fields: { giftCode: 'deny' } },
    },
  }),
  schema,
);

export const hashKey = new Uint8Array(32).fill(7);

export const sanitize = (action: string, input: unknown) => sanitizeAuditInput(action, input, bound, hashKey);

/** Values of denied fields (ordinary-looking text: only the policy, not the scrubber, can know they are secret). */
export const DENIED = { ssn: 'ssn-value-qx7', passwordHash: 'pwhash-value-zk9', giftCode: 'gift-value-wm4', tenantId: 'tenant-value-vb2' };
/** Clear values of masked fields, and the part of them that must never appear. */
export const CLEAR = { email: 'jane.doe@example.com', card: '4111111111111111' };
export const CLEAR_PARTS = ['jane.doe', '41111111'];
/** Credentials the scrubber must catch wherever they are kept. */
export const SECRETS = ['sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'AKIAIOSFODNN7EXAMPLE'];
/** Any value a key of no tool's grammar carries. */
export const STRAY = 'stray-value-hp3';

export const NEVER_STORED = [...Object.values(DENIED), ...CLEAR_PARTS, ...SECRETS, STRAY];

/** The sensitive literals found in a sanitized input (with its reason), expected to be none. */
export function leaked(result: { input: unknown; reason: string | null }): string[] {
  const text = JSON.stringify(result);
  return NEVER_STORED.filter((literal) => text.includes(literal));
}
