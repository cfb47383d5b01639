/**
 * Hostile inputs for every tool: each entry is one call an agent (or a prompt injection) might make.
 * Built from families of payloads placed in every slot a request has, so the corpus grows with both.
 */

export interface HostileCase {
  name: string;
  tool: string;
  input: unknown;
}

const SQL = [
  "' OR '1'='1", "'; DROP TABLE p_customers; --", '" OR ""="', '1; DELETE FROM p_orders', "') UNION SELECT password_hash FROM p_customers --",
  "globex' --", '1 OR 1=1', "x'||(SELECT tenant_id FROM p_tickets LIMIT 1)||'", '%', '_', '\\', "\\'; SELECT 1; --", '$1', ':tenant', '?',
  "tenant_id = 'globex'", '/* */', 'pg_sleep(10)', "'; COPY p_customers TO '/tmp/x'; --", 'id) OR (1=1',
];
const PROTO = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const UNICODE_NAMES = [
  'n\u0430me', 'na\u200bme', '\uff4e\uff41\uff4d\uff45', 'name\u202e', 'tenant\u200bId', 'tenant\u00adId', 'pass\u200bwordHash', 'passw\u043erdHash',
  'NAME', 'n\u0061\u0301me', '\u2060name', 'name\ufeff', '\u0000name', 'st\u0430tus', 'loyalty\u200dCode', '\ud800name',
];
const ODD_VALUES: unknown[] = [
  Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1e308, 2 ** 53, -(2 ** 63), 1.5, 2 ** 31, -(2 ** 31) - 1,
  'a\u0000b', '\ud800', '\udfff', 'x'.repeat(1_001), '0000-01-01', '10000-01-01T00:00:00Z', '2026-02-31', '2026-01-01T24:00:00Z',
  '2026-01-01T00:00:00+15:00', '-000001-01-01', '', ' ', {}, { $gt: 0 }, [], [[1]], true, null, 'NaN', 'Infinity', '1e999',
];

const nested = (depth: number): unknown => (depth === 0 ? { field: 'name', op: 'eq', value: 'x' } : { not: nested(depth - 1) });
const nestedArrays = (depth: number): unknown => (depth === 0 ? 1 : [nestedArrays(depth - 1)]);
const wideAnd = (n: number) => ({ and: Array.from({ length: n }, (_, i) => ({ field: 'amount', op: 'eq', value: i })) });
const inList = (n: number) => ({ field: 'amount', op: 'in', value: Array.from({ length: n }, (_, i) => i) });

/** A payload in each slot of the read and write tools. */
function inEverySlot(payload: unknown, label: string): HostileCase[] {
  const cases: Array<[string, unknown]> = [
    ['db_query', { model: payload }],
    ['db_query', { model: 'Customer', select: [payload] }],
    ['db_query', { model: 'Customer', where: { field: payload, op: 'eq', value: 'x' } }],
    ['db_query', { model: 'Customer', where: { field: 'name', op: payload, value: 'x' } }],
    ['db_query', { model: 'Customer', where: { field: 'name', op: 'eq', value: payload } }],
    ['db_query', { model: 'Order', where: { field: 'amount', op: 'in', value: [1, payload] } }],
    ['db_query', { model: 'Order', where: { field: 'placedAt', op: 'gt', value: payload } }],
    ['db_query', { model: 'Order', orderBy: [{ field: payload }] }],
    ['db_query', { model: 'Order', orderBy: [{ field: 'id', direction: payload }] }],
    ['db_query', { model: 'Order', cursor: payload }],
    ['db_query', { model: 'Order', limit: payload }],
    ['db_query', { model: 'Customer', include: [{ relation: payload }] }],
    ['db_get', { model: 'Ticket', id: payload }],
    ['db_aggregate', { model: 'Order', op: 'sum', field: payload }],
    ['db_aggregate', { model: 'Order', op: payload }],
    ['db_aggregate', { model: 'Order', op: 'count', groupBy: [payload] }],
    ['db_update', { model: 'Ticket', id: 1, values: { title: payload }, reason: 'hostile corpus value check' }],
    ['db_preview_write', { operation: 'update', model: 'Order', id: 1, values: { amount: payload } }],
    ['db_bulk_update', { model: 'Ticket', where: { field: 'title', op: 'eq', value: payload }, values: { priority: 1 }, reason: 'hostile corpus value check' }],
    ['db_delete', { model: 'Ticket', id: payload, reason: 'hostile corpus value check' }],
  ];
  return cases.map(([tool, input], i) => ({ name: `${label} in slot ${i} of ${tool}`, tool, input }));
}

/** Keys that exist only as own JSON properties (`JSON.parse` keeps `__proto__` as data). */
const protoKeyed = (key: string): HostileCase[] => [
  { name: `${key} as a values key`, tool: 'db_update', input: JSON.parse(`{"model":"Ticket","id":1,"values":{"${key}":{"title":"x"}},"reason":"hostile corpus value check"}`) },
  { name: `${key} as an input key`, tool: 'db_query', input: JSON.parse(`{"model":"Customer","${key}":{"model":"Order"}}`) },
  { name: `${key} inside a condition`, tool: 'db_query', input: JSON.parse(`{"model":"Customer","where":{"field":"name","op":"eq","value":"x","${key}":{"field":"tenantId"}}}`) },
];

export function hostileCorpus(): HostileCase[] {
  const corpus: HostileCase[] = [
    ...SQL.flatMap((sql, i) => inEverySlot(sql, `sql#${i}`)),
    ...PROTO.flatMap((key) => [...inEverySlot(key, key).filter((_, i) => [0, 1, 2, 7, 11, 13, 15].includes(i)), ...protoKeyed(key)]),
    ...UNICODE_NAMES.flatMap((name, i) => inEverySlot(name, `unicode#${i}`).filter((_, slot) => [1, 2, 4, 7, 11, 15, 16].includes(slot))),
    ...ODD_VALUES.flatMap((value, i) => inEverySlot(value, `odd#${i}`).filter((_, slot) => [4, 5, 6, 10, 12, 17].includes(slot))),
    { name: 'a 1 MB string value', tool: 'db_query', input: { model: 'Customer', where: { field: 'name', op: 'eq', value: 'x'.repeat(1 << 20) } } },
    { name: 'a 70 KB input', tool: 'db_query', input: { model: 'Customer', where: { or: Array.from({ length: 70 }, () => ({ field: 'name', op: 'eq', value: 'y'.repeat(999) })) } } },
    { name: 'filters 7 deep', tool: 'db_query', input: { model: 'Customer', where: nested(7) } },
    { name: 'filters 200 deep', tool: 'db_query', input: { model: 'Customer', where: nested(200) } },
    { name: 'filters 10,000 deep', tool: 'db_query', input: { model: 'Customer', where: nested(10_000) } },
    { name: 'arrays 100 deep in a value', tool: 'db_query', input: { model: 'Order', where: { field: 'amount', op: 'in', value: nestedArrays(100) } } },
    { name: '51 conditions in one and', tool: 'db_query', input: { model: 'Order', where: wideAnd(51) } },
    { name: 'an in-list of 101', tool: 'db_query', input: { model: 'Order', where: inList(101) } },
    { name: 'an in-list of 100,000', tool: 'db_query', input: { model: 'Order', where: inList(100_000) } },
    { name: 'an in-list of 100 (the limit)', tool: 'db_query', input: { model: 'Order', where: inList(100) } },
    { name: '11 includes', tool: 'db_query', input: { model: 'Customer', include: Array.from({ length: 11 }, () => ({ relation: 'orders' })) } },
    { name: 'includes 3 deep', tool: 'db_query', input: { model: 'Customer', include: [{ relation: 'orders', include: [{ relation: 'customer', include: [{ relation: 'orders' }] }] }] } },
    { name: 'a relation included twice', tool: 'db_query', input: { model: 'Customer', include: [{ relation: 'orders' }, { relation: 'orders' }] } },
    { name: '5 sort terms', tool: 'db_query', input: { model: 'Order', orderBy: ['id', 'amount', 'status', 'label', 'placedAt'].map((field) => ({ field })) } },
    { name: '101 selected fields', tool: 'db_query', input: { model: 'Order', select: Array.from({ length: 101 }, () => 'id') } },
    { name: 'a 5 KB cursor', tool: 'db_query', input: { model: 'Order', cursor: 'c'.repeat(5_000) } },
    { name: 'a limit of a billion', tool: 'db_query', input: { model: 'Order', limit: 1e9 } },
    { name: 'a forged tenant in write values', tool: 'db_create', input: { model: 'Order', values: { tenantId: 'globex', status: 'open', customerId: 1 }, reason: 'hostile corpus value check' } },
    { name: 'a forged tenant column in write values', tool: 'db_update', input: { model: 'Ticket', id: 1, values: { tenant_id: 'globex' }, reason: 'hostile corpus value check' } },
    { name: 'the input is an array', tool: 'db_query', input: [{ model: 'Customer' }] },
    { name: 'the input is a string', tool: 'db_query', input: 'SELECT * FROM p_customers' },
    { name: 'the input is null', tool: 'db_get', input: null },
    { name: 'a getter in the input', tool: 'db_query', input: Object.defineProperty({ model: 'Customer' }, 'where', { enumerable: true, get: () => ({ field: 'tenantId', op: 'eq', value: 'globex' }) }) },
    { name: 'an unknown tool', tool: 'db_raw_sql', input: { sql: 'SELECT 1' } },
    { name: 'a tool named __proto__', tool: '__proto__', input: {} },
    { name: 'a 1,001-character reason', tool: 'db_update', input: { model: 'Ticket', id: 1, values: { title: 'x' }, reason: 'r '.repeat(501) } },
    { name: 'a reason of zero-width characters', tool: 'db_update', input: { model: 'Ticket', id: 1, values: { title: 'x' }, reason: '\u200b'.repeat(40) } },
  ];
  return corpus;
}
