import type { ShopModels } from './shop-models.js';

export const SHOP_TENANTS = ['acme', 'globex'] as const;

/**
 * Seeds both tenants alike (deterministically): 20 customers each with emails, phones and password
 * hashes, 30 orders per customer with one item each, a ticket for every fourth customer. Each tenant's
 * orders and items (600) outgrow the policy's maxScanRows (100), by enough that PostgreSQL's planner
 * prefers the indexes for selective filters; customers (20), tickets (5) and products (4) do not.
 */
export async function seedShop(models: ShopModels): Promise<void> {
  await models.Tenant.bulkCreate(SHOP_TENANTS.map((id) => ({ id, name: `${id} shop` })));
  const products = await models.Product.bulkCreate(
    ['beans', 'kettle', 'grinder', 'mug'].map((name, i) => ({ sku: `SKU-${100 + i}`, name, category: i ? 'equipment' : 'coffee', priceCents: 1_000 * (i + 1) })),
    { returning: true },
  );
  for (const tenantId of SHOP_TENANTS) {
    const customers = await models.Customer.bulkCreate(
      Array.from({ length: 20 }, (_, i) => ({
        tenantId,
        name: `${tenantId} customer ${i}`,
        email: `customer${i}@${tenantId}-mail.test`,
        phone: `+1-555-${String(1000 + i)}`,
        passwordHash: `$argon2id$v=19$${tenantId}${i}$c2VjcmV0LWhhc2g`,
        city: ['Lisbon', 'Berlin', 'Osaka'][i % 3],
        createdAt: new Date(Date.UTC(2025, i % 12, 1 + i)),
      })),
      { returning: true },
    );
    const orders = await models.Order.bulkCreate(
      customers.flatMap((customer, c) =>
        Array.from({ length: 30 }, (_, o) => ({
          tenantId,
          customerId: customer.get('id'),
          status: ['pending', 'paid', 'shipped', 'delivered'][(c + o) % 4],
          totalCents: 1_000 * (o + 1) + c,
          placedAt: new Date(Date.UTC(2026, o % 12, 1 + c)),
        })),
      ),
      { returning: true },
    );
    await models.OrderItem.bulkCreate(
      orders.map((order, o) => {
        const product = products[o % products.length]!;
        return { tenantId, orderId: order.get('id'), productId: product.get('id'), quantity: 1 + (o % 3), unitPriceCents: product.get('priceCents') };
      }),
    );
    await models.SupportTicket.bulkCreate(
      customers
        .filter((_, c) => c % 4 === 0)
        .map((customer, t) => ({
          tenantId,
          customerId: customer.get('id'),
          subject: `ticket ${t}`,
          status: t % 2 ? 'closed' : 'open',
          notes: `Customer called from ${String(customer.get('phone'))}; wants a callback.`,
          openedAt: new Date(Date.UTC(2026, t, 3)),
        })),
    );
  }
}
