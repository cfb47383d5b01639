import fc from 'fast-check';
import { AGGREGATE_OPS, COMPARISON_OPS } from '@ormai/core';
import { TENANT_A, TENANT_B } from './property-schema.js';

/**
 * Random agent requests against the property schema. Names mix real fields, near misses (case, typos,
 * column names, the tenant and denied fields) and noise; values mix plausible data with forged tenant
 * ids. Nothing here ever contains a leak marker (see LEAK_MARKERS).
 */

export const MODELS = ['Customer', 'Order', 'Note', 'Ticket'] as const;

const FIELDS: Record<string, string[]> = {
  Customer: ['id', 'name', 'email', 'phone', 'loyaltyCode', 'vip', 'settings'],
  Order: ['id', 'customerId', 'label', 'status', 'amount', 'placedAt', 'createdAt', 'updatedAt'],
  Note: ['id', 'customerId', 'body'],
  Ticket: ['id', 'title', 'priority'],
};

export const RELATIONS: Record<string, string[]> = { Customer: ['orders', 'notes'], Order: ['customer'], Note: [], Ticket: [] };

/** Names an agent might try: the tenant field in every spelling, denied and hidden columns, typos. */
const NEAR_MISSES = [
  'tenantId', 'tenant_id', 'TenantId', 'tenantid', 'passwordHash', 'password_hash', 'deletedAt', 'deleted_at', 'loyalty_code',
  'Email', 'emial', 'customer_id', 'ID', 'Id', 'nme', 'statuss', 'orderz', 'Orders', 'customers', 'note', 'api_key', 'contactEmail',
];

export const fieldName = (model: string) =>
  fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...(FIELDS[model] ?? FIELDS.Order!)) }, { weight: 2, arbitrary: fc.constantFrom(...NEAR_MISSES) }, { weight: 1, arbitrary: fc.stringMatching(/^[a-z][A-Za-z0-9_]{0,10}$/) });

const modelName = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...MODELS) }, { weight: 1, arbitrary: fc.constantFrom('customer', 'Orders', 'Tenant', 'Product', 'Secret') });

const scalarValue = fc.oneof(
  fc.constantFrom(TENANT_A, TENANT_B, 'open', 'shipped', 'cancelled', 'order-1-2', 'Ada Customer 1', 'ticket-3', 'note-2', 'dark', 'alpha.test', 'Customer'),
  fc.integer({ min: -5, max: 2_000 }),
  fc.constantFrom('2026-01-02T12:00:00.000Z', '2026-01-03', true, false, null, 0, 1, 2, 3),
  fc.string({ maxLength: 12 }),
);

const valueFor = (op: string) => {
  switch (op) {
    case 'in':
    case 'not_in':
      return fc.array(scalarValue, { minLength: 1, maxLength: 5 });
    case 'between':
      return fc.oneof(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 500, max: 2_000 })), fc.tuple(scalarValue, scalarValue));
    case 'is_null':
      return fc.boolean();
    default:
      return scalarValue;
  }
};

const condition = (model: string) =>
  fc.record({ field: fieldName(model), op: fc.constantFrom(...COMPARISON_OPS) }).chain(({ field, op }) => valueFor(op).map((value) => ({ field, op, value })));

export const filterTree = (model: string) =>
  fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 4, arbitrary: condition(model) },
      { weight: 1, arbitrary: fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((and) => ({ and })) },
      { weight: 1, arbitrary: fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((or) => ({ or })) },
      { weight: 1, arbitrary: tie('node').map((not) => ({ not })) },
    ),
  })).node;

const select = (model: string) => fc.uniqueArray(fieldName(model), { minLength: 1, maxLength: 4 });
const limit = fc.oneof(fc.integer({ min: 1, max: 60 }), fc.constantFrom(0, -1, 10_001, 2.5));

const relationName = (model: string) =>
  fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(RELATIONS[model]?.length ? RELATIONS[model]! : ['orders'])) }, { weight: 1, arbitrary: fc.constantFrom('customer', 'orders', 'notes', 'tickets', 'tenant', 'owner') });

const TARGET: Record<string, string> = { orders: 'Order', customer: 'Customer', notes: 'Note' };

/** Includes in both directions (Customer → orders, Order → customer) and one level deeper. */
export const includes = (model: string, depth = 2): fc.Arbitrary<unknown[]> =>
  fc.array(
    relationName(model).chain((relation) => {
      const target = TARGET[relation] ?? 'Order';
      return fc.record(
        {
          relation: fc.constant(relation),
          select: select(target),
          where: filterTree(target),
          limit,
          include: depth > 1 ? includes(target, depth - 1) : fc.constant(undefined),
        },
        { requiredKeys: ['relation'] },
      );
    }),
    { minLength: 1, maxLength: 2 },
  );

const orderBy = (model: string) => fc.array(fc.record({ field: fieldName(model), direction: fc.constantFrom('asc', 'desc') }, { requiredKeys: ['field'] }), { minLength: 1, maxLength: 2 });

const cursor = fc.constantFrom('garbage', 'eyJ0IjoiZ2xvYmV4In0.AAAA', '');

export const queryInput = modelName.chain((model) =>
  fc.record(
    { model: fc.constant(model), select: select(model), where: filterTree(model), orderBy: orderBy(model), limit, cursor, include: includes(model) },
    { requiredKeys: ['model'] },
  ),
);

/** Ids that exist in tenant A, only in tenant B, in both (Ticket), or nowhere; and some wrong types. */
const id = fc.oneof(fc.integer({ min: 1, max: 60 }), fc.constantFrom('1', '2 OR 1=1', -1, 0, 1e12, 'globex:1'));

export const getInput = modelName.chain((model) =>
  fc.record({ model: fc.constant(model), id, select: select(model), include: includes(model) }, { requiredKeys: ['model', 'id'] }),
);

export const aggregateInput = modelName.chain((model) =>
  fc.record(
    { model: fc.constant(model), op: fc.constantFrom(...AGGREGATE_OPS), field: fieldName(model), where: filterTree(model), groupBy: fc.uniqueArray(fieldName(model), { minLength: 1, maxLength: 2 }) },
    { requiredKeys: ['model', 'op'] },
  ),
);

const WRITE_FIELDS: Record<string, string[]> = { Order: ['status', 'amount', 'customerId'], Ticket: ['title', 'priority'] };
const writeModel = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('Order', 'Ticket') }, { weight: 1, arbitrary: modelName });

/** New values: writable fields, plus forged tenant ids, keys and denied fields now and then. */
const writeValues = (model: string) =>
  fc.dictionary(
    fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...(WRITE_FIELDS[model] ?? ['status'])) }, { weight: 2, arbitrary: fieldName(model) }),
    fc.oneof(scalarValue, fc.integer({ min: 1, max: 40 })),
    { minKeys: 1, maxKeys: 3 },
  );

const reason = fc.oneof({ weight: 5, arbitrary: fc.constant('customer asked for this change') }, { weight: 1, arbitrary: fc.constantFrom('x', '', 'ok') });

/** One write tool call: [tool, input]. Previews are writes that must change nothing. */
export const writeCall: fc.Arbitrary<[string, Record<string, unknown>]> = writeModel.chain((model) =>
  fc.oneof(
    fc.record({ model: fc.constant(model), values: writeValues(model), reason }).map((input) => ['db_create', input] as [string, Record<string, unknown>]),
    fc.record({ model: fc.constant(model), id, values: writeValues(model), reason }).map((input) => ['db_update', input] as [string, Record<string, unknown>]),
    fc.record({ model: fc.constant(model), id, reason }).map((input) => ['db_delete', input] as [string, Record<string, unknown>]),
    fc.record({ model: fc.constant(model), where: filterTree(model), values: writeValues(model), reason }).map((input) => ['db_bulk_update', input] as [string, Record<string, unknown>]),
    fc
      .record(
        { operation: fc.constantFrom('create', 'update', 'delete', 'bulk_update'), model: fc.constant(model), id, where: filterTree(model), values: writeValues(model) },
        { requiredKeys: ['operation', 'model'] },
      )
      .map((input) => ['db_preview_write', input] as [string, Record<string, unknown>]),
  ),
);

export const hostileRead: fc.Arbitrary<[string, Record<string, unknown>]> = fc.oneof(
  queryInput.map((input) => ['db_query', input] as [string, Record<string, unknown>]),
  getInput.map((input) => ['db_get', input] as [string, Record<string, unknown>]),
  aggregateInput.map((input) => ['db_aggregate', input] as [string, Record<string, unknown>]),
);
