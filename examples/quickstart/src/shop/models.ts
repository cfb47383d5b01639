import { DataTypes, type Sequelize } from 'sequelize';

/** A realistic multi-tenant store: the schema the demo agent works on. */
export function defineShopModels(sequelize: Sequelize) {
  const tenantId = { type: DataTypes.STRING(40), allowNull: false, field: 'tenant_id' };
  const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true };

  const Tenant = sequelize.define('Tenant', { id: { type: DataTypes.STRING(40), primaryKey: true }, name: DataTypes.STRING }, { tableName: 'tenants', timestamps: false });
  const Customer = sequelize.define(
    'Customer',
    {
      id,
      tenantId,
      name: { type: DataTypes.STRING, allowNull: false },
      email: DataTypes.STRING,
      phone: DataTypes.STRING,
      passwordHash: { type: DataTypes.STRING, field: 'password_hash' },
      city: DataTypes.STRING,
      createdAt: { type: DataTypes.DATE, field: 'created_at' },
    },
    { tableName: 'customers', timestamps: false, indexes: [{ fields: ['tenant_id', 'email'] }, { fields: ['tenant_id', 'city'] }] },
  );
  const Product = sequelize.define(
    'Product',
    { id, sku: { type: DataTypes.STRING, unique: true }, name: DataTypes.STRING, category: DataTypes.STRING, priceCents: { type: DataTypes.INTEGER, field: 'price_cents' } },
    { tableName: 'products', timestamps: false },
  );
  const Order = sequelize.define(
    'Order',
    {
      id,
      tenantId,
      customerId: { type: DataTypes.INTEGER, allowNull: false, field: 'customer_id' },
      status: { type: DataTypes.STRING(20), allowNull: false },
      totalCents: { type: DataTypes.INTEGER, field: 'total_cents' },
      // What has been paid back so far: support records refunds here, large ones through finance.
      refundedCents: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0, field: 'refunded_cents' },
      placedAt: { type: DataTypes.DATE, field: 'placed_at' },
    },
    { tableName: 'orders', timestamps: false, indexes: [{ fields: ['tenant_id', 'status'] }, { fields: ['customer_id'] }] },
  );
  const OrderItem = sequelize.define(
    'OrderItem',
    {
      id,
      tenantId,
      orderId: { type: DataTypes.INTEGER, allowNull: false, field: 'order_id' },
      productId: { type: DataTypes.INTEGER, allowNull: false, field: 'product_id' },
      quantity: DataTypes.INTEGER,
      unitPriceCents: { type: DataTypes.INTEGER, field: 'unit_price_cents' },
    },
    { tableName: 'order_items', timestamps: false, indexes: [{ fields: ['order_id'] }] },
  );
  const SupportTicket = sequelize.define(
    'SupportTicket',
    {
      id,
      tenantId,
      customerId: { type: DataTypes.INTEGER, field: 'customer_id' },
      subject: DataTypes.STRING,
      status: DataTypes.STRING(20),
      notes: DataTypes.TEXT,
      openedAt: { type: DataTypes.DATE, field: 'opened_at' },
    },
    { tableName: 'support_tickets', timestamps: false, indexes: [{ fields: ['tenant_id', 'status'] }] },
  );

  Customer.hasMany(Order, { as: 'orders', foreignKey: 'customerId' });
  Customer.hasMany(SupportTicket, { as: 'tickets', foreignKey: 'customerId' });
  Order.belongsTo(Customer, { as: 'customer', foreignKey: 'customerId' });
  Order.hasMany(OrderItem, { as: 'items', foreignKey: 'orderId' });
  OrderItem.belongsTo(Product, { as: 'product', foreignKey: 'productId' });
  SupportTicket.belongsTo(Customer, { as: 'customer', foreignKey: 'customerId' });
  return { Tenant, Customer, Product, Order, OrderItem, SupportTicket };
}

export type ShopModels = ReturnType<typeof defineShopModels>;
