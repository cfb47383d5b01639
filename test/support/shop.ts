import { DataTypes, type ModelStatic, type Model, type Sequelize } from 'sequelize';
import { DEFAULT_PROD, definePolicy, type PolicySpec } from '@ormai/core';

type AnyModel = ModelStatic<Model>;

export interface ShopModels {
  Customer: AnyModel;
  Order: AnyModel;
  OrderItem: AnyModel;
  Product: AnyModel;
  InternalNote: AnyModel;
}

/** A small multi-tenant shop. Column names differ from attribute names on purpose (tenant_id, password_hash...). */
export function defineShop(sequelize: Sequelize): ShopModels {
  const tenantId = { type: DataTypes.STRING(64), allowNull: false, field: 'tenant_id' };
  const Customer = sequelize.define(
    'Customer',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      tenantId,
      name: { type: DataTypes.STRING, allowNull: false },
      email: DataTypes.STRING,
      phone: DataTypes.STRING,
      passwordHash: { type: DataTypes.STRING, field: 'password_hash' },
      apiToken: { type: DataTypes.STRING, field: 'api_token' },
      notes: DataTypes.TEXT,
      taxId: { type: DataTypes.STRING, field: 'tax_id' },
      loyaltyCode: { type: DataTypes.STRING, field: 'loyalty_code' },
      vip: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      tier: { type: DataTypes.ENUM('basic', 'plus'), allowNull: false, defaultValue: 'basic' },
    },
    { tableName: 'customers', timestamps: false, indexes: [{ fields: ['tenant_id', 'name'] }] },
  );
  const Order = sequelize.define(
    'Order',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      tenantId,
      customerId: { type: DataTypes.INTEGER, allowNull: false, field: 'customer_id' },
      status: { type: DataTypes.STRING(20), allowNull: false },
      amount: DataTypes.INTEGER,
      placedAt: { type: DataTypes.DATE, field: 'placed_at' },
      deletedAt: { type: DataTypes.DATE, field: 'deleted_at' },
    },
    { tableName: 'orders', timestamps: false, indexes: [{ fields: ['tenant_id', 'status'] }, { fields: ['customer_id'] }] },
  );
  const OrderItem = sequelize.define(
    'OrderItem',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      tenantId,
      orderId: { type: DataTypes.INTEGER, allowNull: false, field: 'order_id' },
      productId: { type: DataTypes.INTEGER, allowNull: false, field: 'product_id' },
      quantity: { type: DataTypes.INTEGER, allowNull: false },
    },
    { tableName: 'order_items', timestamps: false, indexes: [{ fields: ['order_id'] }] },
  );
  const Product = sequelize.define(
    'Product',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      sku: { type: DataTypes.STRING, unique: true },
      name: DataTypes.STRING,
      price: DataTypes.DECIMAL(10, 2),
    },
    { tableName: 'products', timestamps: false },
  );
  const InternalNote = sequelize.define(
    'InternalNote',
    { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, tenantId, body: DataTypes.TEXT },
    { tableName: 'internal_notes', timestamps: false },
  );
  Customer.hasMany(Order, { as: 'orders', foreignKey: 'customerId' });
  Order.belongsTo(Customer, { as: 'customer', foreignKey: 'customerId' });
  Order.hasMany(OrderItem, { as: 'items', foreignKey: 'orderId' });
  OrderItem.belongsTo(Order, { as: 'order', foreignKey: 'orderId' });
  OrderItem.belongsTo(Product, { as: 'product', foreignKey: 'productId' });
  return { Customer, Order, OrderItem, Product, InternalNote };
}

export const shopPolicySpec = {
  profile: DEFAULT_PROD,
  tenantScope: { field: 'tenantId' },
  maskFields: { '*loyalty*': 'hash' },
  budgets: { maxRows: 50, maxScanRows: 10_000, statementTimeoutMs: 2_000, maxJoinDepth: 2 },
  models: {
    Customer: { fields: { notes: 'deny', taxId: 'full' }, relations: ['orders'] },
    Order: { relations: ['customer', 'items'], budgets: { maxRows: 20 } },
    OrderItem: { relations: ['product', 'order'] },
    Product: { tenantScope: false },
  },
} satisfies PolicySpec;

export const shopPolicy = () => definePolicy(shopPolicySpec);

/** The same shop with writes enabled, shaped like the policy in the writes issue. */
export const writePolicySpec = {
  ...shopPolicySpec,
  readOnly: false,
  models: {
    ...shopPolicySpec.models,
    Customer: { ...shopPolicySpec.models.Customer, write: { update: true, writableFields: ['name', 'vip'], maxWritesPerMinute: 20 } },
    Order: {
      ...shopPolicySpec.models.Order,
      write: {
        create: true,
        update: true,
        delete: 'soft',
        bulkUpdate: true,
        writableFields: ['status', 'amount', 'customerId'],
        softDeleteField: 'deletedAt',
        requireReason: true,
        maxAffectedRows: 100,
        maxWritesPerMinute: 20,
        dryRunAbove: 10,
        approvals: [
          { name: 'large-refund', operations: ['update'], when: { field: 'amount', op: 'gt', value: 500 }, approverRoles: ['finance'], slaMs: 3_600_000 },
          {
            name: 'status-cancel',
            operations: ['update', 'bulk_update'],
            fieldsChanged: ['status'],
            when: { field: 'status', op: 'eq', value: 'cancelled' },
            approverRoles: ['supervisor'],
            slaMs: 900_000,
          },
        ],
      },
    },
  },
} satisfies PolicySpec;

export const writePolicy = () => definePolicy(writePolicySpec);

/** Values that belong to the other tenant or are secret: no response may ever contain one of them. */
export const FORBIDDEN_MARKERS = ['GLOBEX', 'globex.test', 'SECRET-HASH', 'TOKEN-VALUE', 'PRIVATE-NOTE', 'TAX-'];

export interface SeededShop {
  acmeCustomerIds: number[];
  globexCustomerIds: number[];
  acmeOrderIds: number[];
  globexOrderIds: number[];
  /** A Globex order wrongly pointing at an Acme customer: includes must still not reveal it. */
  crossTenantOrderId: number;
}

export async function seedShop(models: ShopModels): Promise<SeededShop> {
  const { Customer, Order, OrderItem, Product } = models;
  const products = await Product.bulkCreate(
    [1, 2, 3].map((i) => ({ sku: `SKU-${i}`, name: `Widget ${i}`, price: 9.5 * i })),
    { returning: true },
  );
  const customers = async (tenant: string, label: string, domain: string, count: number) =>
    Customer.bulkCreate(
      Array.from({ length: count }, (_, i) => ({
        tenantId: tenant,
        name: `${label} Customer ${i}`,
        email: `${label.toLowerCase()}${i}@${domain}`,
        phone: `+1-555-010-${String(1000 + i)}`,
        passwordHash: `SECRET-HASH-${label}-${i}`,
        apiToken: `TOKEN-VALUE-${label}-${i}`,
        notes: `PRIVATE-NOTE ${label} ${i}`,
        taxId: `TAX-${label}-${i}`,
        loyaltyCode: i % 2 === 0 ? 'GOLD' : 'SILVER',
        vip: i === 0,
        tier: i % 2 === 0 ? 'plus' : 'basic',
      })),
      { returning: true },
    );
  const acme = await customers('acme', 'Acme', 'acme.test', 5);
  const globex = await customers('globex', 'GLOBEX', 'globex.test', 4);
  const statuses = ['open', 'shipped', 'cancelled'];
  const orders = async (tenant: string, owners: Model[], perCustomer: number) =>
    Order.bulkCreate(
      owners.flatMap((c, ci) =>
        Array.from({ length: perCustomer }, (_, i) => ({
          tenantId: tenant,
          customerId: c.get('id'),
          status: statuses[(ci + i) % 3],
          amount: i % 4 === 3 ? null : 100 * (i + 1) + ci,
          placedAt: new Date(Date.UTC(2026, 0, 1 + i, 12, ci)),
        })),
      ),
      { returning: true },
    );
  // Customer 0 of Acme has 30 orders: more than Order's maxRows (20), to prove per-parent caps.
  const acmeOrders = [...(await orders('acme', acme.slice(0, 1), 30)), ...(await orders('acme', acme.slice(1), 3))];
  const globexOrders = await orders('globex', globex, 3);
  const [cross] = await Order.bulkCreate(
    [{ tenantId: 'globex', customerId: acme[0]!.get('id'), status: 'open', amount: 999_999, placedAt: new Date() }],
    { returning: true },
  );
  await OrderItem.bulkCreate(
    [...acmeOrders.map((o) => ['acme', o] as const), ...globexOrders.map((o) => ['globex', o] as const)].flatMap(([tenant, o], i) => [
      { tenantId: tenant, orderId: o.get('id'), productId: products[i % 3]!.get('id'), quantity: 1 + (i % 5) },
      { tenantId: tenant, orderId: o.get('id'), productId: products[(i + 1) % 3]!.get('id'), quantity: 2 },
    ]),
  );
  await OrderItem.create({ tenantId: 'globex', orderId: acmeOrders[0]!.get('id'), productId: products[0]!.get('id'), quantity: 77 });
  const ids = (rows: Model[]) => rows.map((r) => r.get('id') as number);
  return {
    acmeCustomerIds: ids(acme),
    globexCustomerIds: ids(globex),
    acmeOrderIds: ids(acmeOrders),
    globexOrderIds: [...ids(globexOrders), cross!.get('id') as number],
    crossTenantOrderId: cross!.get('id') as number,
  };
}
