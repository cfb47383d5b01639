import { describe, expect, it } from 'vitest';
import { createOrmAI, definePolicy, type OrmAI, type RunContext } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { DIALECTS } from './support/databases.js';
import { ACME, GLOBEX, useShop } from './support/shop-fixture.js';
import { shopPolicySpec } from './support/shop.js';
import { expectError } from './support/assertions.js';

// Each one may read more than 4 rows, whatever the tenant: a sort, a count through the tenant index, a count of customers.
const OVER_BUDGET = [
  ['db_query', { model: 'Order', orderBy: [{ field: 'amount' }] }],
  ['db_aggregate', { model: 'Order', op: 'count', where: { field: 'amount', op: 'gt', value: 0 } }],
  ['db_aggregate', { model: 'Customer', op: 'count' }],
] as const;

for (const dialect of DIALECTS) {
  describe(`${dialect}: scan_budget_exceeded tells the agent nothing about how much data there is`, () => {
    const shop = useShop(dialect);
    const tight = definePolicy({ ...shopPolicySpec, budgets: { ...shopPolicySpec.budgets, maxScanRows: 4 } });
    // A new adapter each time: no statistics cached from an earlier call.
    const fresh = () => createOrmAI({ adapter: sequelizeAdapter(shop.db.sequelize), policy: tight, secret: 'test-secret' });
    const refusals = async (ormai: OrmAI, context: RunContext) => {
      const answers: string[] = [];
      for (const [tool, input] of OVER_BUDGET) answers.push(JSON.stringify(expectError(await ormai.callTool(tool, input, context), 'scan_budget_exceeded')));
      return answers;
    };

    it('answers every tenant byte for byte the same, and the same again after another tenant grows tenfold', async () => {
      const acme = await refusals(fresh(), ACME);
      expect(await refusals(fresh(), GLOBEX)).toEqual(acme);

      // Globex's orders and customers grow from about a dozen to hundreds: Acme must not be able to tell.
      const [customer] = await shop.models.Customer.bulkCreate(
        Array.from({ length: 200 }, (_, i) => ({ tenantId: 'globex', name: `Grown ${i}`, email: `grown${i}@globex.test` })),
        { returning: true },
      );
      await shop.models.Order.bulkCreate(
        Array.from({ length: 600 }, (_, i) => ({ tenantId: 'globex', customerId: customer!.get('id'), status: 'open', amount: i + 1, placedAt: new Date(Date.UTC(2026, 1, 1)) })),
      );
      await shop.db.sequelize.query('ANALYZE');
      expect(await refusals(fresh(), ACME)).toEqual(acme);
      expect(await refusals(fresh(), GLOBEX)).toEqual(acme);
      for (const answer of acme) expect(Object.keys(JSON.parse(answer).details).sort()).toEqual(['indexedFields', 'maxScanRows', 'model']);
    });
  });
}
