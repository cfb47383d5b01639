import { createHash } from 'node:crypto';
import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import { DEFAULT_PROD, definePolicy } from '@ormai/core';
import { installChangeCounters } from './change-counter.js';

type AnyModel = ModelStatic<Model>;

export interface PropertyModels {
  Customer: AnyModel;
  Order: AnyModel;
  Note: AnyModel;
  Ticket: AnyModel;
}

export const TENANT_A = 'acme';
export const TENANT_B = 'globex';

/**
 * Text that only the other tenant's rows, denied fields, clear masked values and soft-deleted rows
 * hold. Generators never produce it, so finding one in anything the agent or the audit trail sees
 * is a leak.
 */
export const LEAK_MARKERS = ['ZBETA', 'ZDENIED', 'zclear', 'PHCLEAR', 'LOYALCLEAR', 'ZGONE'] as const;

/**
 * The awkward shapes of issue 14: Ticket's real key is (tenant_id, id), so the same id exists in both
 * tenants; Note is reachable only from Customer (one-sided hasMany); Order is paranoid; Customer has a
 * JSON column with a secret and an email inside, and a unique masked email.
 */
export function definePropertyModels(sequelize: Sequelize): PropertyModels {
  const tenantId = { type: DataTypes.STRING(64), allowNull: false, field: 'tenant_id' };
  const Customer = sequelize.define(
    'Customer',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      tenantId,
      name: { type: DataTypes.STRING, allowNull: false },
      email: { type: DataTypes.STRING, unique: true },
      phone: DataTypes.STRING,
      loyaltyCode: { type: DataTypes.STRING, field: 'loyalty_code' },
      passwordHash: { type: DataTypes.STRING, field: 'password_hash' },
      vip: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      settings: DataTypes.JSON,
    },
    { tableName: 'p_customers', timestamps: false, indexes: [{ fields: ['tenant_id', 'name'] }] },
  );
  const Order = sequelize.define(
    'Order',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      tenantId,
      customerId: { type: DataTypes.INTEGER, allowNull: false, field: 'customer_id' },
      label: DataTypes.STRING,
      status: { type: DataTypes.STRING(20), allowNull: false },
      amount: DataTypes.INTEGER,
      placedAt: { type: DataTypes.DATE, field: 'placed_at' },
    },
    { tableName: 'p_orders', paranoid: true, indexes: [{ fields: ['tenant_id', 'status'] }, { fields: ['customer_id'] }] },
  );
  const Note = sequelize.define(
    'Note',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      tenantId,
      customerId: { type: DataTypes.INTEGER, allowNull: false, field: 'customer_id' },
      body: DataTypes.STRING,
    },
    { tableName: 'p_notes', timestamps: false },
  );
  // The real key is (tenant_id, id), created by hand in createPropertyTables; the model declares `id` alone.
  const Ticket = sequelize.define(
    'Ticket',
    { id: { type: DataTypes.INTEGER, primaryKey: true }, tenantId, title: DataTypes.STRING, priority: DataTypes.INTEGER },
    { tableName: 'p_tickets', timestamps: false },
  );
  Customer.hasMany(Order, { as: 'orders', foreignKey: 'customerId' });
  Order.belongsTo(Customer, { as: 'customer', foreignKey: 'customerId' });
  // One-sided: no Note.belongsTo(Customer).
  Customer.hasMany(Note, { as: 'notes', foreignKey: 'customerId' });
  return { Customer, Order, Note, Ticket };
}

export async function createPropertyTables(sequelize: Sequelize, models: PropertyModels): Promise<void> {
  await models.Customer.sync();
  await models.Order.sync();
  await models.Note.sync();
  await sequelize.query('CREATE TABLE p_tickets (tenant_id VARCHAR(64) NOT NULL, id INTEGER NOT NULL, title VARCHAR(255), priority INTEGER, PRIMARY KEY (tenant_id, id))');
  await installChangeCounters(sequelize, TABLES, [TENANT_A, TENANT_B]);
}

export const PROPERTY_SECRET = 'property-secret';
export const MAX_ROWS = 50;

export const propertyPolicy = () =>
  definePolicy({
    profile: DEFAULT_PROD,
    readOnly: false,
    tenantScope: { field: 'tenantId' },
    maskFields: { '*loyalty*': 'hash' },
    budgets: { maxRows: MAX_ROWS, maxScanRows: 1_000_000, statementTimeoutMs: 5_000, maxJoinDepth: 2 },
    models: {
      Customer: { relations: ['orders', 'notes'] },
      Order: {
        relations: ['customer'],
        write: {
          create: true,
          update: true,
          delete: 'soft',
          bulkUpdate: true,
          writableFields: ['status', 'amount', 'customerId'],
          maxAffectedRows: 100,
          maxWritesPerMinute: 1_000_000,
          dryRunAbove: 10,
        },
      },
      Note: {},
      Ticket: { write: { update: true, delete: true, bulkUpdate: true, writableFields: ['title', 'priority'], maxWritesPerMinute: 1_000_000 } },
    },
  });

export interface PropertySeed {
  customerIds: Record<string, number[]>;
  orderIds: Record<string, number[]>;
  ticketIds: Record<string, number[]>;
}

/** Tenant A's rows look ordinary (bar masked and denied columns); every string of tenant B carries ZBETA. */
export async function seedPropertyData(models: PropertyModels): Promise<PropertySeed> {
  const { Customer, Order, Note, Ticket } = models;
  const customers = async (tenant: string, count: number) =>
    Customer.bulkCreate(
      Array.from({ length: count }, (_, i) => {
        const b = tenant === TENANT_B;
        return {
          tenantId: tenant,
          name: b ? `ZBETA Customer ${i}` : `Ada Customer ${i}`,
          email: b ? `ZBETA${i}@beta.test` : `zclear${i}@alpha.test`,
          phone: b ? `ZBETA-phone-${i}` : `PHCLEAR${i}-55${i}0`,
          loyaltyCode: b ? `ZBETA-LOYAL-${i}` : `LOYALCLEAR-${i % 2}`,
          passwordHash: `ZDENIED-PW-${tenant}-${i}`,
          vip: i % 3 === 0,
          settings: b ? { theme: 'ZBETA-theme' } : { theme: i % 2 ? 'dark' : 'light', api_key: `ZDENIED-KEY-${i}`, contactEmail: `zclear-json${i}@alpha.test` },
        };
      }),
      { returning: true },
    );
  const acme = await customers(TENANT_A, 6);
  const globex = await customers(TENANT_B, 5);
  const statuses = ['open', 'shipped', 'cancelled'];
  const orders = async (tenant: string, owners: Model[], perCustomer: number) =>
    Order.bulkCreate(
      owners.flatMap((c, ci) =>
        Array.from({ length: perCustomer }, (_, i) => ({
          tenantId: tenant,
          customerId: c.get('id'),
          label: tenant === TENANT_B ? `ZBETA-order-${ci}-${i}` : `order-${ci}-${i}`,
          status: statuses[(ci + i) % 3],
          amount: i % 4 === 3 ? null : 100 * (i + 1) + ci,
          placedAt: new Date(Date.UTC(2026, 0, 1 + i, 12, ci)),
        })),
      ),
      { returning: true },
    );
  const acmeOrders = await orders(TENANT_A, acme, 4);
  const globexOrders = await orders(TENANT_B, globex, 3);
  // A Globex order pointing at an Acme customer: no include from Acme's side may show it.
  await Order.create({ tenantId: TENANT_B, customerId: acme[0]!.get('id'), label: 'ZBETA-cross', status: 'open', amount: 999_999, placedAt: new Date() });
  // Soft-deleted Acme orders: invisible to every read and write.
  const gone = await Order.bulkCreate(
    [0, 1, 2].map((i) => ({ tenantId: TENANT_A, customerId: acme[i]!.get('id'), label: `ZGONE-${i}`, status: 'open', amount: 5, placedAt: new Date() })),
    { returning: true },
  );
  for (const row of gone) await row.destroy();
  await Note.bulkCreate([
    ...acme.map((c, i) => ({ tenantId: TENANT_A, customerId: c.get('id'), body: `note-${i}` })),
    ...globex.map((c, i) => ({ tenantId: TENANT_B, customerId: c.get('id'), body: `ZBETA-note-${i}` })),
    { tenantId: TENANT_B, customerId: acme[1]!.get('id'), body: 'ZBETA-cross-note' },
  ]);
  await Ticket.bulkCreate([
    ...[1, 2, 3, 4, 5].map((id) => ({ tenantId: TENANT_A, id, title: `ticket-${id}`, priority: id % 3 })),
    ...[1, 2, 3, 4, 5, 6, 7].map((id) => ({ tenantId: TENANT_B, id, title: `ZBETA-ticket-${id}`, priority: id % 3 })),
  ]);
  const ids = (rows: Model[]) => rows.map((r) => r.get('id') as number);
  return {
    customerIds: { [TENANT_A]: ids(acme), [TENANT_B]: ids(globex) },
    orderIds: { [TENANT_A]: ids(acmeOrders), [TENANT_B]: ids(globexOrders) },
    ticketIds: { [TENANT_A]: [1, 2, 3, 4, 5], [TENANT_B]: [1, 2, 3, 4, 5, 6, 7] },
  };
}

const TABLES = ['p_customers', 'p_orders', 'p_notes', 'p_tickets'];

/**
 * A digest of every row (of one tenant, or all), read with plain SQL so nothing OrmAI does is involved:
 * equal digests before and after a run mean it changed nothing (per call, the change counters say it cheaper).
 */
export async function tableChecksum(sequelize: Sequelize, tenant?: string): Promise<string> {
  const hash = createHash('sha256');
  for (const table of TABLES) {
    const [rows] = await sequelize.query(
      `SELECT * FROM ${table}${tenant ? ' WHERE tenant_id = :tenant' : ''} ORDER BY tenant_id, id`,
      tenant ? { replacements: { tenant } } : {},
    );
    hash.update(table).update(JSON.stringify(rows));
  }
  return hash.digest('hex');
}

/** The first leak marker in `value`'s JSON, or null. */
export function findLeak(value: unknown): string | null {
  const text = JSON.stringify(value) ?? '';
  return LEAK_MARKERS.find((marker) => text.includes(marker)) ?? null;
}
