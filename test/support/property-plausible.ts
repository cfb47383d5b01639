import fc from 'fast-check';
import { TENANT_A, TENANT_B } from './property-schema.js';

/**
 * Well-formed requests: real fields with values of their type, real relations in both directions.
 * Most of them are allowed, so the properties and the oracle look at real results, not only refusals.
 * Values never contain a leak marker; wildcard characters are left out so the oracle's LIKE is exact.
 */

type Kind = 'string' | 'integer' | 'boolean' | 'date';

export const TYPED_FIELDS: Record<string, Record<string, Kind>> = {
  Customer: { id: 'integer', name: 'string', vip: 'boolean' },
  Order: { id: 'integer', customerId: 'integer', label: 'string', status: 'string', amount: 'integer', placedAt: 'date' },
  Note: { id: 'integer', customerId: 'integer', body: 'string' },
  Ticket: { id: 'integer', title: 'string', priority: 'integer' },
};

/** Fields a read may return in clear or masked (`settings` is JSON: covered by the leak properties, not the oracle). */
export const ORACLE_FIELDS: Record<string, string[]> = {
  Customer: ['id', 'name', 'email', 'phone', 'loyaltyCode', 'vip'],
  Order: ['id', 'customerId', 'label', 'status', 'amount', 'placedAt', 'createdAt', 'updatedAt'],
  Note: ['id', 'customerId', 'body'],
  Ticket: ['id', 'title', 'priority'],
};

export const PLAUSIBLE_RELATIONS: Record<string, Record<string, string>> = {
  Customer: { orders: 'Order', notes: 'Note' },
  Order: { customer: 'Customer' },
  Note: {},
  Ticket: {},
};

const OPS: Record<Kind, string[]> = {
  string: ['eq', 'ne', 'in', 'not_in', 'contains', 'starts_with', 'ends_with', 'is_null'],
  integer: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'between', 'is_null'],
  boolean: ['eq', 'ne', 'is_null'],
  date: ['gt', 'gte', 'lt', 'lte', 'between', 'is_null'],
};

const STRINGS = ['open', 'shipped', 'cancelled', 'order-1-2', 'order', 'Ada Customer 1', 'customer', 'ticket-3', 'TICKET', 'note-2', 'NOTE', '1', 'x', TENANT_B, TENANT_A];
const one: Record<Kind, fc.Arbitrary<string | number | boolean>> = {
  string: fc.oneof(fc.constantFrom(...STRINGS), fc.stringMatching(/^[a-z0-9 -]{1,6}$/)),
  integer: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 600 })),
  boolean: fc.boolean(),
  date: fc.date({ min: new Date('2025-12-30T00:00:00Z'), max: new Date('2026-01-06T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
};

function valueFor(kind: Kind, op: string): fc.Arbitrary<unknown> {
  if (op === 'is_null') return fc.boolean();
  if (op === 'in' || op === 'not_in') return fc.array(one[kind], { minLength: 1, maxLength: 4 });
  if (op === 'between') return fc.tuple(one[kind], one[kind]).map(([a, b]) => (a <= b ? [a, b] : [b, a]));
  return one[kind];
}

const condition = (model: string) =>
  fc
    .constantFrom(...Object.entries(TYPED_FIELDS[model]!))
    .chain(([field, kind]) => fc.constantFrom(...OPS[kind]).chain((op) => valueFor(kind, op).map((value) => ({ field, op, value }))));

export const plausibleFilter = (model: string) =>
  fc.letrec<{ node: unknown }>((tie) => ({
    // maxDepth 3 keeps every tree within the filter limits (50 nodes, 6 deep): these must be allowed.
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true, maxDepth: 3 },
      { weight: 4, arbitrary: condition(model) },
      { weight: 1, arbitrary: fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((and) => ({ and })) },
      { weight: 1, arbitrary: fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((or) => ({ or })) },
      { weight: 1, arbitrary: tie('node').map((not) => ({ not })) },
    ),
  })).node;

const select = (model: string) => fc.uniqueArray(fc.constantFrom(...ORACLE_FIELDS[model]!), { minLength: 1, maxLength: 4 });

export const plausibleIncludes = (model: string, depth = 2): fc.Arbitrary<unknown[]> => {
  const relations = Object.entries(PLAUSIBLE_RELATIONS[model]!);
  if (!relations.length) return fc.constant([]);
  return fc.uniqueArray(
    fc.constantFrom(...relations).chain(([relation, target]) =>
      fc.record(
        {
          relation: fc.constant(relation),
          select: select(target),
          where: plausibleFilter(target),
          limit: fc.integer({ min: 1, max: 50 }),
          include: depth > 1 ? plausibleIncludes(target, depth - 1) : fc.constant(undefined),
        },
        { requiredKeys: ['relation'] },
      ),
    ),
    { minLength: 1, maxLength: relations.length, selector: (i) => (i as { relation: string }).relation },
  );
};

const model = fc.constantFrom('Customer', 'Order', 'Note', 'Ticket');

/** A query the oracle can replay: explicit order on `id` (a total order within tenant A) and a limit. */
export const oracleQuery = model.chain((m) =>
  fc.record(
    { model: fc.constant(m), select: select(m).map((s) => (s.includes('id') ? s : ['id', ...s])), where: plausibleFilter(m), orderBy: fc.constantFrom([{ field: 'id', direction: 'asc' }], [{ field: 'id', direction: 'desc' }]), limit: fc.integer({ min: 1, max: 50 }) },
    { requiredKeys: ['model', 'select', 'orderBy', 'limit'] },
  ),
);

export const plausibleQuery = model.chain((m) =>
  fc.record(
    { model: fc.constant(m), select: select(m), where: plausibleFilter(m), orderBy: fc.constantFrom([{ field: 'id' }], [{ field: 'id', direction: 'desc' }]), limit: fc.integer({ min: 1, max: 50 }), include: plausibleIncludes(m) },
    { requiredKeys: ['model'] },
  ),
);

export const plausibleGet = model.chain((m) =>
  fc.record({ model: fc.constant(m), id: fc.integer({ min: 1, max: 60 }), select: select(m).map((s) => (s.includes('id') ? s : ['id', ...s])), include: plausibleIncludes(m) }, { requiredKeys: ['model', 'id'] }),
);

const NUMERIC: Record<string, string[]> = { Customer: ['id'], Order: ['amount', 'id', 'customerId'], Note: ['id', 'customerId'], Ticket: ['priority', 'id'] };
const GROUPABLE: Record<string, string[]> = { Customer: ['vip'], Order: ['status', 'customerId'], Note: ['customerId'], Ticket: ['priority'] };

export const plausibleAggregate = model.chain((m) =>
  fc.oneof(
    fc.record({ model: fc.constant(m), op: fc.constant('count'), where: plausibleFilter(m) }, { requiredKeys: ['model', 'op'] }),
    fc.record(
      { model: fc.constant(m), op: fc.constantFrom('sum', 'avg', 'min', 'max'), field: fc.constantFrom(...NUMERIC[m]!), where: plausibleFilter(m), groupBy: fc.constant([GROUPABLE[m]![0]!]) },
      { requiredKeys: ['model', 'op', 'field'] },
    ),
  ),
);

export const plausibleRead: fc.Arbitrary<[string, Record<string, unknown>]> = fc.oneof(
  { weight: 3, arbitrary: plausibleQuery.map((input) => ['db_query', input] as [string, Record<string, unknown>]) },
  { weight: 1, arbitrary: plausibleGet.map((input) => ['db_get', input] as [string, Record<string, unknown>]) },
  { weight: 1, arbitrary: plausibleAggregate.map((input) => ['db_aggregate', input] as [string, Record<string, unknown>]) },
);

const REASON = 'customer asked for this change';
const writeValues = (m: 'Order' | 'Ticket'): fc.Arbitrary<Record<string, unknown>> =>
  m === 'Order'
    ? fc.record({ status: fc.constantFrom('open', 'shipped', 'cancelled'), amount: fc.integer({ min: 0, max: 900 }), customerId: fc.integer({ min: 1, max: 11 }) }, { requiredKeys: [] })
    : fc.record({ title: fc.constantFrom('triaged', 'waiting on customer'), priority: fc.integer({ min: 0, max: 3 }) }, { requiredKeys: [] });

/** Writes on real rows: ids that exist in tenant A, in tenant B only, or in both (Ticket's per-tenant keys). */
export const plausibleWrite: fc.Arbitrary<[string, Record<string, unknown>]> = fc.constantFrom('Order' as const, 'Ticket' as const).chain((m) => {
  const id = fc.integer({ min: 1, max: m === 'Order' ? 45 : 8 });
  const values = writeValues(m).filter((v) => Object.keys(v).length > 0);
  const as = (tool: string) => (input: Record<string, unknown>) => [tool, input] as [string, Record<string, unknown>];
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ model: fc.constant(m), id, values, reason: fc.constant(REASON) }).map(as('db_update')) },
    { weight: 1, arbitrary: fc.record({ model: fc.constant(m), id, reason: fc.constant(REASON) }).map(as('db_delete')) },
    { weight: 2, arbitrary: fc.record({ model: fc.constant(m), where: plausibleFilter(m), values, reason: fc.constant(REASON) }).map(as('db_bulk_update')) },
    { weight: 1, arbitrary: fc.record({ model: fc.constant(m), values: writeValues(m), reason: fc.constant(REASON) }).map(as('db_create')) },
    {
      weight: 2,
      arbitrary: fc
        .record({ operation: fc.constantFrom('update', 'delete', 'bulk_update'), model: fc.constant(m), id, where: plausibleFilter(m), values }, { requiredKeys: ['operation', 'model'] })
        .map(as('db_preview_write')),
    },
  );
});
