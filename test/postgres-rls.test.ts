import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrmAI, DEFAULT_DEV, definePolicy, type OrmAI, type Policy } from '@ormai/core';
import { applyRlsPolicies, sequelizeAdapter } from '@ormai/sequelize';
import { auditTablesText, sqlAuditSink } from './support/audit-sql.js';
import { expectError, expectNoForbiddenValues, expectOk } from './support/assertions.js';
import { openDatabase, type TestDatabase } from './support/databases.js';
import { ACME, GLOBEX } from './support/shop-fixture.js';
import { defineShop, seedShop, writePolicy, type SeededShop, type ShopModels } from './support/shop.js';

const REASON = 'customer asked by email to correct the order';
const AUDIT_PREFIX = 'rls_audit';

/**
 * The ORM-level tenant filter switched off: no model is tenant-scoped, so the plans carry no tenant
 * predicate and the tenant field is an ordinary writable one. Only the database can keep tenants apart.
 */
const unscopedPolicy = (): Policy =>
  definePolicy({
    profile: DEFAULT_DEV,
    tenantScope: false,
    readOnly: false,
    models: {
      Customer: { relations: ['orders'] },
      Order: {
        relations: ['customer', 'items'],
        write: { create: true, update: true, delete: true, writableFields: ['status', 'amount', 'customerId', 'tenantId'], maxWritesPerMinute: 1000 },
      },
      OrderItem: { relations: ['product'] },
      Product: {},
    },
  });

describe('postgres: row-level security backstop', () => {
  let db: TestDatabase;
  let models: ShopModels;
  let seeded: SeededShop;
  const role = `ormai_rls_${randomBytes(5).toString('hex')}`;
  /** The same unscoped policy, with the database's RLS on (`guarded`) and off (`open`). */
  let guarded: OrmAI;
  let open: OrmAI;
  let scoped: OrmAI;

  const tenantOf = async (orderId: number) => (await models.Order.findByPk(orderId))?.get({ plain: true }) as Record<string, unknown> | undefined;

  beforeAll(async () => {
    db = await openDatabase('postgres');
    models = defineShop(db.sequelize);
    await db.sequelize.sync();
    seeded = await seedShop(models);
    await db.sequelize.query('ANALYZE');
    const [rows] = (await db.sequelize.query('SELECT current_schema() AS schema')) as [Array<{ schema: string }>, unknown];
    const schema = rows[0]!.schema;
    const rls = {
      role,
      tables: ['customers', 'orders', 'order_items', 'internal_notes'].map((table) => ({ table, tenantColumn: 'tenant_id' })),
      sharedTables: ['products'],
    };
    await applyRlsPolicies(db.sequelize, rls); // unqualified names: the current schema
    await applyRlsPolicies(db.sequelize, { ...rls, schema }); // idempotent
    const withRls = sequelizeAdapter(db.sequelize, { rls: { role } });
    guarded = createOrmAI({ adapter: withRls, policy: unscopedPolicy(), secret: 'test-secret' });
    open = createOrmAI({ adapter: sequelizeAdapter(db.sequelize), policy: unscopedPolicy(), secret: 'test-secret' });
    // The audit tables are not granted to the role: a write commits its record only if OrmAI left the role first.
    const audit = await sqlAuditSink(db.sequelize, AUDIT_PREFIX);
    scoped = createOrmAI({ adapter: withRls, policy: writePolicy(), secret: 'test-secret', audit: { sink: audit, onFailure: 'fail_closed' } });
  });
  afterAll(async () => {
    await db?.sequelize.query(`DROP OWNED BY "${role}"`);
    await db?.sequelize.query(`DROP ROLE IF EXISTS "${role}"`);
    await db?.close();
  });

  it('reads: without the tenant filter, RLS alone returns only the caller tenant rows', async () => {
    const read = async (ormai: OrmAI) => ({
      customers: expectOk(await ormai.call('db_query', { model: 'Customer', include: [{ relation: 'orders' }] }, ACME)).rows as Array<Record<string, unknown>>,
      orders: expectOk(await ormai.call('db_aggregate', { model: 'Order', op: 'count', groupBy: ['tenantId'] }, ACME)),
      globexCustomer: await ormai.call('db_get', { model: 'Customer', id: seeded.globexCustomerIds[0]! }, ACME),
      crossOrder: await ormai.call('db_get', { model: 'Order', id: seeded.crossTenantOrderId, include: [{ relation: 'customer' }] }, ACME),
    });

    const withRls = await read(guarded);
    expect(withRls.customers.map((c) => c.tenantId)).toEqual(seeded.acmeCustomerIds.map(() => 'acme'));
    expect(withRls.customers.flatMap((c) => c.orders as Array<Record<string, unknown>>).every((o) => o.tenantId === 'acme')).toBe(true);
    expect(withRls.orders).toMatchObject({ groups: [{ key: { tenantId: 'acme' }, value: seeded.acmeOrderIds.length }] });
    expectError(withRls.globexCustomer, 'not_found');
    expectError(withRls.crossOrder, 'not_found');
    // The read connections switch tenant with each call; a call without a tenant sees no tenant rows.
    const globexRows = expectOk(await guarded.call('db_query', { model: 'Customer' }, GLOBEX)).rows as Array<Record<string, unknown>>;
    expect(globexRows.map((c) => c.tenantId)).toEqual(seeded.globexCustomerIds.map(() => 'globex'));
    expect(expectOk(await guarded.callTool('db_query', { model: 'Customer' }, { userId: 'u-none' })).rows).toEqual([]);
    expect(expectOk(await guarded.call('db_query', { model: 'Product' }, ACME)).rows).toHaveLength(3);
    expect(JSON.stringify(withRls)).not.toMatch(/GLOBEX|globex\.test/);

    // The same calls without RLS do cross tenants: the backstop is what held above.
    const withoutRls = await read(open);
    expect(new Set(withoutRls.customers.map((c) => c.tenantId))).toEqual(new Set(['acme', 'globex']));
    expect(withoutRls.orders).toMatchObject({ groups: expect.arrayContaining([{ key: { tenantId: 'globex' }, value: seeded.globexOrderIds.length }]) });
    expectOk(withoutRls.globexCustomer);
    expectOk(withoutRls.crossOrder);
  });

  it('writes: another tenant rows cannot be changed, deleted or created', async () => {
    const [updated, deleted, crossedOver] = seeded.globexOrderIds;
    const before = await tenantOf(updated!);
    expectError(await guarded.call('db_update', { model: 'Order', id: updated!, values: { status: 'hacked' } }, ACME), 'not_found');
    expectError(await guarded.call('db_delete', { model: 'Order', id: deleted! }, ACME), 'not_found');
    // Moving a row into one's own tenant needs to see it first.
    expectError(await guarded.call('db_update', { model: 'Order', id: crossedOver!, values: { tenantId: 'acme' } }, ACME), 'not_found');
    expect(await tenantOf(updated!)).toEqual(before);
    expect(await tenantOf(deleted!)).toBeDefined();
    expect((await tenantOf(crossedOver!))?.tenantId).toBe('globex');

    // WITH CHECK: a row of another tenant cannot be inserted, nor an own row handed over to one.
    const countGlobex = () => models.Order.count({ where: { tenantId: 'globex' } });
    const globexOrders = await countGlobex();
    const planted = await guarded.call('db_create', { model: 'Order', values: { tenantId: 'globex', status: 'open', customerId: seeded.acmeCustomerIds[0]! } }, ACME);
    // The database refuses the statement; the agent learns nothing more than that the call failed.
    expectError(planted, 'internal_error');
    const handedOver = await guarded.call('db_update', { model: 'Order', id: seeded.acmeOrderIds[5]!, values: { tenantId: 'globex' } }, ACME);
    expectError(handedOver, 'internal_error');
    expect(await countGlobex()).toBe(globexOrders);
    expect((await tenantOf(seeded.acmeOrderIds[5]!))?.tenantId).toBe('acme');

    // Without RLS the same kind of calls do reach the other tenant.
    expectOk(await open.call('db_update', { model: 'Order', id: updated!, values: { status: 'hacked' } }, ACME));
    expect((await tenantOf(updated!))?.status).toBe('hacked');
    expectOk(await open.call('db_delete', { model: 'Order', id: deleted! }, ACME));
    expect(await tenantOf(deleted!)).toBeUndefined();
  });

  it('a tenant-scoped policy over RLS works as before: reads, includes, aggregates, audited writes', async () => {
    const customer = seeded.acmeCustomerIds[1]!;
    const { row: got } = expectOk(await scoped.call('db_get', { model: 'Customer', id: customer, include: [{ relation: 'orders', include: [{ relation: 'items' }] }] }, ACME));
    expect(got.orders.length).toBeGreaterThan(0);
    expect(got.orders.every((o: { items: unknown[] }) => o.items.length > 0)).toBe(true);
    expectNoForbiddenValues(got);
    const page = expectOk(await scoped.call('db_query', { model: 'Order', where: { field: 'status', op: 'eq', value: 'open' }, include: [{ relation: 'customer' }] }, ACME));
    expect(page.rows.length).toBeGreaterThan(0);
    const sum = expectOk(await scoped.call('db_aggregate', { model: 'Order', op: 'sum', field: 'amount' }, ACME));
    expect(sum.value).toBeGreaterThan(0);

    const created = expectOk(await scoped.call('db_create', { model: 'Order', values: { status: 'open', amount: 5, customerId: customer }, reason: REASON }, ACME));
    const id = created.row?.id ?? created.rows?.[0]?.id;
    expect(typeof id).toBe('number');
    expect((await tenantOf(id))?.tenantId).toBe('acme');
    const updated = expectOk(await scoped.call('db_update', { model: 'Order', id, values: { amount: 7 }, reason: REASON }, ACME));
    expect(JSON.stringify(updated)).toContain('7');
    expect((await tenantOf(id))?.amount).toBe(7);
    expectOk(await scoped.call('db_delete', { model: 'Order', id, reason: REASON }, ACME));
    expect((await tenantOf(id))?.deletedAt).toBeTruthy();
    // Each write's audit record committed with it, outside the role.
    expect((await auditTablesText(db.sequelize, AUDIT_PREFIX)).match(/db_(create|update|delete)/g)?.length).toBeGreaterThanOrEqual(3);
  });
});
