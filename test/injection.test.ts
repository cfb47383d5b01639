import { describe, expect, it } from 'vitest';
import { DIALECTS } from './support/databases.js';
import { ACME, GLOBEX, useShop } from './support/shop-fixture.js';
import { expectError, expectNoForbiddenValues, expectOk } from './support/assertions.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: injection attempts`, () => {
    const shop = useShop(dialect);

    it('identifiers that are not plain names are refused before any lookup', async () => {
      const attempts = [
        { model: 'Customer"; DROP TABLE customers; --' },
        { model: 'Customer', select: ['name FROM customers --'] },
        { model: 'Customer', where: { field: 'name) OR (1=1', op: 'eq', value: 'x' } },
        { model: 'Customer', orderBy: [{ field: 'id; DELETE FROM customers' }] },
        { model: 'Customer', orderBy: [{ field: 'id', direction: 'asc; DROP TABLE orders' }] },
        { model: 'Customer', include: [{ relation: 'orders"--' }] },
      ];
      for (const input of attempts) expectError(await shop.ormai.callTool('db_query', input, ACME), 'invalid_input');
    });

    it('unknown operators and unknown keys are refused', async () => {
      expectError(await shop.ormai.callTool('db_query', { model: 'Customer', where: { field: 'name', op: 'eq OR 1=1', value: 'x' } }, ACME), 'invalid_input');
      expectError(await shop.ormai.callTool('db_query', { model: 'Customer', where: { field: 'name', op: 'like', value: '%' } }, ACME), 'invalid_input');
      expectError(await shop.ormai.callTool('db_query', { model: 'Customer', raw: 'SELECT 1' }, ACME), 'invalid_input');
      expectError(await shop.ormai.callTool('db_query', { model: 'Customer', where: { field: 'name', op: 'eq', value: 'x', sql: '1=1' } }, ACME), 'invalid_input');
      expectError(await shop.ormai.call('db_query', { model: 'Customer', where: { field: 'vip', op: 'contains', value: 't' } }, ACME), 'operator_not_allowed');
    });

    it('prototype keys do not resolve to anything', async () => {
      for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
        expectError(await shop.ormai.call('db_query', { model: name }, ACME), 'model_not_allowed');
        expectError(await shop.ormai.call('db_query', { model: 'Customer', select: [name] }, ACME), 'field_not_allowed');
        expectError(await shop.ormai.call('db_query', { model: 'Customer', include: [{ relation: name }] }, ACME), 'relation_not_allowed');
      }
    });

    it('values are bound parameters: SQL in a value is just a string', async () => {
      for (const value of ["x' OR '1'='1", "'; DROP TABLE customers; --", 'Acme Customer 0" OR "1"="1', '\\\'; SELECT 1; --']) {
        const data = expectOk(await shop.ormai.call('db_query', { model: 'Customer', where: { field: 'name', op: 'eq', value } }, ACME));
        expect(data.rows).toEqual([]);
      }
      const still = expectOk(await shop.ormai.call('db_aggregate', { model: 'Customer', op: 'count' }, ACME));
      expect(still.value).toBe(shop.seeded.acmeCustomerIds.length);
      for (const sql of shop.statements) expect(sql).not.toContain('DROP TABLE');
    });

    it('LIKE wildcards in values match literally', async () => {
      const percent = expectOk(await shop.ormai.call('db_query', { model: 'Customer', where: { field: 'name', op: 'contains', value: '%' } }, ACME));
      expect(percent.rows).toEqual([]);
      const underscore = expectOk(await shop.ormai.call('db_query', { model: 'Customer', where: { field: 'name', op: 'starts_with', value: '_cme' } }, ACME));
      expect(underscore.rows).toEqual([]);
      const real = expectOk(await shop.ormai.call('db_query', { model: 'Customer', where: { field: 'name', op: 'contains', value: 'customer 1' } }, ACME));
      expect(real.rows.map((r: any) => r.name)).toEqual(['Acme Customer 1']);
    });

    it('values must fit the field type', async () => {
      const error = expectError(await shop.ormai.call('db_query', { model: 'Order', where: { field: 'amount', op: 'gt', value: '1 OR 1=1' } }, ACME), 'invalid_input');
      expect(error.details).toMatchObject({ field: 'amount', op: 'gt' });
      for (const value of ['yesterday', '0', '2026-13-01', '2026-01-01T25:00:00Z', 'Jan 5 2026']) {
        expectError(await shop.ormai.call('db_query', { model: 'Order', where: { field: 'placedAt', op: 'gt', value } }, ACME), 'invalid_input');
      }
      expectError(await shop.ormai.call('db_query', { model: 'Order', where: { field: 'amount', op: 'between', value: [1] } }, ACME), 'invalid_input');
      expectError(await shop.ormai.call('db_get', { model: 'Order', id: '1 OR 1=1' }, ACME), 'invalid_input');
    });

    it('tampered, foreign or replayed cursors are invalid_input', async () => {
      const first = expectOk(await shop.ormai.call('db_query', { model: 'Order', limit: 5 }, ACME));
      expect(first.nextCursor).toEqual(expect.any(String));
      const [payload, mac] = first.nextCursor.split('.');
      const forgedPayload = Buffer.from(JSON.stringify([0])).toString('base64url');
      for (const cursor of [`${forgedPayload}.${mac}`, `${payload}.${mac.slice(0, -2)}AA`, 'garbage', `${payload}.${mac}.x`, '']) {
        expectError(await shop.ormai.call('db_query', { model: 'Order', limit: 5, cursor }, ACME), 'invalid_input');
      }
      // Same cursor, another tenant or another sort order: refused, not reinterpreted.
      expectError(await shop.ormai.call('db_query', { model: 'Order', limit: 5, cursor: first.nextCursor }, GLOBEX), 'invalid_input');
      expectError(await shop.ormai.call('db_query', { model: 'Order', limit: 5, orderBy: [{ field: 'amount' }], cursor: first.nextCursor }, ACME), 'invalid_input');
      expectError(await shop.ormai.call('db_query', { model: 'Customer', limit: 5, cursor: first.nextCursor }, ACME), 'invalid_input');
    });

    it('oversized and deeply nested filters are refused', async () => {
      let deep: any = { field: 'status', op: 'eq', value: 'open' };
      for (let i = 0; i < 10; i++) deep = { not: deep };
      expectError(await shop.ormai.call('db_query', { model: 'Order', where: deep }, ACME), 'invalid_input');
      const wide = { or: Array.from({ length: 60 }, (_, i) => ({ field: 'amount', op: 'eq', value: i })) };
      expectError(await shop.ormai.callTool('db_query', { model: 'Order', where: wide }, ACME), 'invalid_input');
      expectError(await shop.ormai.call('db_query', { model: 'Order', where: { field: 'status', op: 'eq', value: 'x'.repeat(70_000) } }, ACME), 'invalid_input');
    });

    it('unexpected failures are internal_error with nothing leaked', async () => {
      const seen: unknown[] = [];
      const broken = { ...shop.ormai.adapter, select: async () => { throw new Error('relation "customers" SELECT password_hash FROM customers failed at /srv/app.js:12'); } };
      const { createOrmAI } = await import('@ormai/core');
      const ormai = createOrmAI({ adapter: broken, policy: shop.ormai.policy, onError: (e) => seen.push(e) });
      const error = expectError(await ormai.call('db_query', { model: 'Customer' }, ACME), 'internal_error');
      expect(JSON.stringify(error)).not.toMatch(/password|customers|app\.js/);
      expect(seen).toHaveLength(1);
      expectNoForbiddenValues(error);
    });
  });
}
