import { describe, expect, it } from 'vitest';
import { DIALECTS } from './support/databases.js';
import { ACME, GLOBEX, useShop } from './support/shop-fixture.js';
import { expectError, expectNoForbiddenValues, expectOk } from './support/assertions.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: tenant isolation`, () => {
    const shop = useShop(dialect);

    it('a root query returns only the caller tenant rows', async () => {
      const data = expectOk(await shop.ormai.call('db_query', { model: 'Customer' }, ACME));
      expect(data.rows.map((r: any) => r.id).sort()).toEqual([...shop.seeded.acmeCustomerIds].sort());
      expectNoForbiddenValues(data);
      const globex = expectOk(await shop.ormai.call('db_query', { model: 'Customer', select: ['id'] }, GLOBEX));
      expect(globex.rows.map((r: any) => r.id).sort()).toEqual([...shop.seeded.globexCustomerIds].sort());
    });

    it('agent of tenant A forging tenant B in where gets tenant_mismatch', async () => {
      const forged = [
        { field: 'tenantId', op: 'eq', value: 'globex' },
        { or: [{ field: 'status', op: 'eq', value: 'open' }, { field: 'tenantId', op: 'eq', value: 'globex' }] },
        { field: 'tenantId', op: 'in', value: ['acme', 'globex'] },
        { field: 'tenantId', op: 'ne', value: 'acme' },
        { not: { field: 'tenantId', op: 'eq', value: 'acme' } },
        { field: 'tenantId', op: 'is_null', value: false },
      ];
      for (const where of forged) {
        const result = await shop.ormai.callTool('db_query', { model: 'Order', where }, ACME);
        expectError(result, 'tenant_mismatch');
        expectNoForbiddenValues(result);
      }
      expectError(await shop.ormai.callTool('db_aggregate', { model: 'Order', op: 'count', where: forged[0] }, ACME), 'tenant_mismatch');
      const include = [{ relation: 'orders', where: { field: 'tenantId', op: 'eq', value: 'globex' } }];
      expectError(await shop.ormai.callTool('db_query', { model: 'Customer', include }, ACME), 'tenant_mismatch');
    });

    it('naming even the own tenant is refused: a guessed tenant id cannot be confirmed', async () => {
      const own = expectError(
        await shop.ormai.call('db_query', { model: 'Order', select: ['id'], where: { field: 'tenantId', op: 'eq', value: 'acme' } }, ACME),
        'tenant_mismatch',
      );
      const other = expectError(
        await shop.ormai.call('db_query', { model: 'Order', select: ['id'], where: { field: 'tenantId', op: 'eq', value: 'umbrella' } }, ACME),
        'tenant_mismatch',
      );
      expect(own).toEqual(other);
    });

    it('included rows are scoped too, even when a foreign key crosses tenants', async () => {
      const [firstAcmeCustomer] = shop.seeded.acmeCustomerIds;
      const data = expectOk(
        await shop.ormai.call(
          'db_get',
          { model: 'Customer', id: firstAcmeCustomer!, include: [{ relation: 'orders', include: [{ relation: 'items' }] }] },
          ACME,
        ),
      );
      const orderIds = data.row.orders.map((o: any) => o.id);
      expect(orderIds.length).toBeGreaterThan(0);
      expect(orderIds).not.toContain(shop.seeded.crossTenantOrderId);
      for (const id of orderIds) expect(shop.seeded.acmeOrderIds).toContain(id);
      for (const order of data.row.orders) for (const item of order.items) expect(item.quantity).not.toBe(77);
      expectNoForbiddenValues(data);
    });

    it('a belongsTo include never resolves to another tenant row', async () => {
      const data = expectOk(
        await shop.ormai.call('db_get', { model: 'Order', id: shop.seeded.crossTenantOrderId, include: [{ relation: 'customer' }] }, GLOBEX),
      );
      expect(data.row.customer).toBeNull();
    });

    it('db_get of another tenant id is not_found, indistinguishable from a missing id', async () => {
      const other = expectError(await shop.ormai.call('db_get', { model: 'Customer', id: shop.seeded.globexCustomerIds[0]! }, ACME), 'not_found');
      const missing = expectError(await shop.ormai.call('db_get', { model: 'Customer', id: 987654 }, ACME), 'not_found');
      expect(other).toEqual(missing);
    });

    it('aggregates count only the caller tenant rows', async () => {
      const count = expectOk(await shop.ormai.call('db_aggregate', { model: 'Order', op: 'count' }, ACME));
      expect(count.value).toBe(shop.seeded.acmeOrderIds.length);
      const grouped = expectOk(await shop.ormai.call('db_aggregate', { model: 'Order', op: 'count', groupBy: ['status'] }, GLOBEX));
      const total = grouped.groups.reduce((sum: number, g: any) => sum + g.value, 0);
      expect(total).toBe(shop.seeded.globexOrderIds.length);
    });

    it('a context without a tenant is refused when models are tenant-scoped', async () => {
      const result = await shop.ormai.call('db_query', { model: 'Order' }, { userId: 'u1' } as any);
      expectError(result, 'invalid_context');
    });

    it('the tenant field is invisible: not in rows, not in the schema, not selectable', async () => {
      const rows = expectOk(await shop.ormai.call('db_query', { model: 'Order', limit: 3 }, ACME)).rows;
      for (const row of rows) expect(row).not.toHaveProperty('tenantId');
      const schema = expectOk(await shop.ormai.call('db_describe_schema', {}, ACME));
      expect(JSON.stringify(schema)).not.toContain('tenantId');
      expect(JSON.stringify(schema)).not.toContain('acme');
      expectError(await shop.ormai.call('db_query', { model: 'Order', select: ['tenantId'] }, ACME), 'field_not_allowed');
    });
  });
}
