import type { ShopModels } from './models.js';

/** Deterministic pseudo-random numbers, so every demo run tells the same story. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Ken', 'Margaret', 'Dennis', 'Radia', 'Linus', 'Frances', 'John'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Thompson', 'Hamilton', 'Ritchie', 'Perlman', 'Torvalds', 'Allen', 'Backus'];
const CITIES = ['Lisbon', 'Berlin', 'Austin', 'Osaka', 'Nairobi', 'Toronto'];
const STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'refunded'];
const PRODUCTS = [
  ['Espresso beans 1kg', 'coffee', 2_400], ['Pour-over kettle', 'equipment', 5_900], ['Burr grinder', 'equipment', 14_900],
  ['Oat milk 6-pack', 'grocery', 1_300], ['Ceramic mug', 'merch', 1_800], ['Cold brew bottle', 'equipment', 2_900],
] as const;

/** What support staff type into a ticket: phone and card numbers, emails (chosen by id, so the random draws stay as they were). */
function noteFor(id: number, phone: string, email: string): string {
  const notes = [
    `Customer called from ${phone}, card ending 4242; wants a callback.`,
    `Wrote from ${email}: mug arrived broken, refund to card 4111 1111 1111 1111 please.`,
    `Asked to change the delivery address; confirm by phone ${phone} before shipping.`,
  ];
  return notes[id % notes.length]!;
}

export const TENANTS = [
  { id: 'acme', name: 'Acme Coffee' },
  { id: 'globex', name: 'Globex Beans' },
];

/** Seeds both tenants with customers (emails, phones, password hashes), orders, items, products and tickets. */
export async function seedShop(models: ShopModels, { customersPerTenant = 40, ordersPerCustomer = 6 } = {}) {
  const next = random(42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  await models.Tenant.bulkCreate(TENANTS);
  const products = await models.Product.bulkCreate(
    PRODUCTS.map(([name, category, priceCents], i) => ({ sku: `SKU-${100 + i}`, name, category, priceCents })),
    { returning: true },
  );
  for (const tenant of TENANTS) {
    const customers = await models.Customer.bulkCreate(
      Array.from({ length: customersPerTenant }, (_, i) => {
        const first = pick(FIRST);
        const last = pick(LAST);
        return {
          tenantId: tenant.id,
          name: `${first} ${last}`,
          email: `${first}.${last}${i}@${tenant.id}-mail.test`.toLowerCase(),
          phone: `+1-555-${String(1000 + Math.floor(next() * 9000))}`,
          passwordHash: `$argon2id$v=19$m=65536$${tenant.id}${i}$c2VjcmV0LWhhc2g`,
          city: pick(CITIES),
          createdAt: new Date(Date.UTC(2025, Math.floor(next() * 12), 1 + Math.floor(next() * 28))),
        };
      }),
      { returning: true },
    );
    for (const customer of customers) {
      const orders = await models.Order.bulkCreate(
        Array.from({ length: 1 + Math.floor(next() * ordersPerCustomer) }, () => ({
          tenantId: tenant.id,
          customerId: customer.get('id'),
          status: pick(STATUSES),
          totalCents: 0,
          placedAt: new Date(Date.UTC(2026, Math.floor(next() * 10), 1 + Math.floor(next() * 28))),
        })),
        { returning: true },
      );
      for (const order of orders) {
        const lines = Array.from({ length: 1 + Math.floor(next() * 3) }, () => {
          const product = pick(products);
          return { tenantId: tenant.id, orderId: order.get('id'), productId: product.get('id'), quantity: 1 + Math.floor(next() * 3), unitPriceCents: product.get('priceCents') as number };
        });
        await models.OrderItem.bulkCreate(lines);
        const totalCents = lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);
        await order.update({ totalCents, refundedCents: order.get('status') === 'refunded' ? totalCents : 0 });
      }
      if (next() < 0.3) {
        await models.SupportTicket.create({
          tenantId: tenant.id,
          customerId: customer.get('id'),
          subject: pick(['Late delivery', 'Damaged mug', 'Refund request', 'Change address']),
          status: pick(['open', 'closed']),
          notes: noteFor(customer.get('id') as number, customer.get('phone') as string, customer.get('email') as string),
          openedAt: new Date(Date.UTC(2026, Math.floor(next() * 10), 1 + Math.floor(next() * 28))),
        });
      }
    }
  }
}
