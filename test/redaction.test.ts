import { describe, expect, it } from 'vitest';
import { DIALECTS } from './support/databases.js';
import { ACME, useShop } from './support/shop-fixture.js';
import { expectError, expectNoForbiddenValues, expectOk } from './support/assertions.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: reads and redaction`, () => {
    const shop = useShop(dialect);

    it('denied fields never appear in rows, included rows or the schema description', async () => {
      const customers = expectOk(await shop.ormai.call('db_query', { model: 'Customer' }, ACME));
      for (const row of customers.rows) {
        for (const denied of ['passwordHash', 'apiToken', 'notes']) expect(row).not.toHaveProperty(denied);
      }
      const orders = expectOk(await shop.ormai.call('db_query', { model: 'Order', include: [{ relation: 'customer' }] }, ACME));
      for (const row of orders.rows) expect(row.customer).not.toHaveProperty('passwordHash');
      const schema = expectOk(await shop.ormai.call('db_describe_schema', {}, ACME));
      const text = JSON.stringify(schema);
      for (const denied of ['passwordHash', 'password_hash', 'apiToken', 'notes', 'InternalNote']) expect(text).not.toContain(denied);
      expectNoForbiddenValues([customers, orders, schema]);
    });

    it('denied fields cannot be selected, filtered, sorted, grouped or aggregated (no oracle)', async () => {
      const attempts: Array<[string, object]> = [
        ['db_query', { model: 'Customer', select: ['id', 'passwordHash'] }],
        ['db_query', { model: 'Customer', where: { field: 'passwordHash', op: 'starts_with', value: 'SECRET' } }],
        ['db_query', { model: 'Customer', where: { field: 'apiToken', op: 'is_null', value: true } }],
        ['db_query', { model: 'Customer', orderBy: [{ field: 'passwordHash' }] }],
        ['db_aggregate', { model: 'Customer', op: 'count', groupBy: ['passwordHash'] }],
        ['db_aggregate', { model: 'Customer', op: 'max', field: 'notes' }],
        ['db_get', { model: 'Customer', id: shop.seeded.acmeCustomerIds[0], select: ['notes'] }],
        ['db_query', { model: 'Order', include: [{ relation: 'customer', select: ['apiToken'] }] }],
        ['db_query', { model: 'Order', include: [{ relation: 'customer', where: { field: 'passwordHash', op: 'eq', value: 'x' } }] }],
      ];
      for (const [tool, input] of attempts) {
        const error = expectError(await shop.ormai.callTool(tool, input, ACME), 'field_not_allowed');
        expect(JSON.stringify(error)).not.toMatch(/SECRET-HASH|TOKEN-VALUE|PRIVATE-NOTE/);
        expect((error.details.allowedFields as string[]).join()).not.toMatch(/passwordHash|apiToken|notes/);
      }
      // A field that does not exist gets the same answer as a denied one.
      const unknown = expectError(await shop.ormai.call('db_query', { model: 'Customer', select: ['nope'] }, ACME), 'field_not_allowed');
      const denied = expectError(await shop.ormai.call('db_query', { model: 'Customer', select: ['passwordHash'] }, ACME), 'field_not_allowed');
      expect({ ...unknown.details, field: '' }).toEqual({ ...denied.details, field: '' });
    });

    it('masked fields come back masked, at the root and in includes', async () => {
      const customers = expectOk(await shop.ormai.call('db_query', { model: 'Customer', orderBy: [{ field: 'name' }] }, ACME)).rows;
      expect(customers[0].email).toBe('a***@acme.test');
      expect(customers[0].phone).toBe('***1000');
      expect(customers[0].taxId).toBe('[REDACTED]');
      const orders = expectOk(
        await shop.ormai.call('db_query', { model: 'Order', limit: 5, include: [{ relation: 'customer', select: ['email', 'phone', 'taxId'] }] }, ACME),
      ).rows;
      for (const order of orders) {
        expect(order.customer.email).toMatch(/^a\*\*\*@acme\.test$/);
        expect(order.customer.phone).toMatch(/^\*\*\*\d{4}$/);
        expect(order.customer.taxId).toBe('[REDACTED]');
      }
      const nested = expectOk(
        await shop.ormai.call(
          'db_query',
          { model: 'OrderItem', limit: 3, include: [{ relation: 'order', include: [{ relation: 'customer', select: ['email'] }] }] },
          ACME,
        ),
      ).rows;
      for (const item of nested) expect(item.order.customer.email).toMatch(/^a\*\*\*@acme\.test$/);
      expectNoForbiddenValues([customers, orders, nested]);
    });

    it('keyed hashes keep equal values equal without revealing them', async () => {
      const rows = expectOk(await shop.ormai.call('db_query', { model: 'Customer', select: ['id', 'loyaltyCode'], orderBy: [{ field: 'id' }] }, ACME)).rows;
      const codes = rows.map((r: any) => r.loyaltyCode);
      expect(codes[0]).toMatch(/^hmac:[0-9a-f]{32}$/);
      expect(codes[0]).toBe(codes[2]);
      expect(codes[0]).not.toBe(codes[1]);
      expect(JSON.stringify(rows)).not.toMatch(/GOLD|SILVER/);
    });

    it('masked fields cannot be used to filter or sort by their clear value', async () => {
      for (const input of [
        { model: 'Customer', where: { field: 'email', op: 'eq', value: 'acme0@acme.test' } },
        { model: 'Customer', where: { field: 'phone', op: 'ends_with', value: '1000' } },
        { model: 'Customer', orderBy: [{ field: 'email' }] },
        { model: 'Order', include: [{ relation: 'customer', where: { field: 'email', op: 'contains', value: 'acme0' } }] },
      ]) {
        expectError(await shop.ormai.callTool('db_query', input, ACME), 'field_not_allowed');
      }
      const schema = expectOk(await shop.ormai.call('db_describe_schema', { model: 'Customer' }, ACME));
      const email = schema.models[0].fields.find((f: any) => f.name === 'email');
      expect(email).toMatchObject({ masked: 'email', filterable: false });
    });

    it('models outside the policy do not exist for the agent', async () => {
      const error = expectError(await shop.ormai.call('db_query', { model: 'InternalNote' }, ACME), 'model_not_allowed');
      expect(error.details.allowedModels).toEqual(['Customer', 'Order', 'OrderItem', 'Product']);
      expectError(await shop.ormai.call('db_query', { model: 'Order', include: [{ relation: 'notes' }] }, ACME), 'relation_not_allowed');
    });

    it('enum fields list their values and take equality operators only', async () => {
      const schema = expectOk(await shop.ormai.call('db_describe_schema', { model: 'Customer' }, ACME));
      expect(schema.models[0].fields.find((f: any) => f.name === 'tier')).toMatchObject({ type: 'enum', values: ['basic', 'plus'], filterable: true });
      const plus = expectOk(await shop.ormai.call('db_query', { model: 'Customer', select: ['id'], where: { field: 'tier', op: 'eq', value: 'plus' } }, ACME));
      expect(plus.rows).toHaveLength(3);
      expectError(await shop.ormai.call('db_query', { model: 'Customer', where: { field: 'tier', op: 'contains', value: 'pl' } }, ACME), 'operator_not_allowed');
    });

    it('tenant-free reference data is readable through includes', async () => {
      const items = expectOk(await shop.ormai.call('db_query', { model: 'OrderItem', limit: 2, include: [{ relation: 'product' }] }, ACME)).rows;
      for (const item of items) expect(item.product.sku).toMatch(/^SKU-\d$/);
      expect(typeof items[0].product.price).toBe('number');
    });
  });
}
