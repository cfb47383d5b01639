import { auditKeyFromSecret, createOrmAI } from '@ormai/core';
import { sequelizeAdapter, sequelizeAuditSink } from '@ormai/sequelize';
import { openShopDatabase } from './shop/database.js';
import { shopPolicy } from './shop/policy.js';
import { searchTickets } from './shop/search-tickets.js';

/**
 * The demo's OrmAI as an app would build it: the seeded shop, its policy, a domain tool (search_tickets)
 * and a SQL audit trail in the same database. The demo and `ormai.config.ts` (the `ormai` CLI) both start here.
 */
export async function createDemo({ secret = process.env.ORMAI_SECRET ?? 'demo-secret' } = {}) {
  const { sequelize, models } = await openShopDatabase();
  const auditSink = sequelizeAuditSink(sequelize, { key: auditKeyFromSecret(secret) });
  await auditSink.migrate();
  const ormai = createOrmAI({ adapter: sequelizeAdapter(sequelize), policy: shopPolicy, secret, audit: { sink: auditSink }, tools: [searchTickets] });
  return {
    ormai,
    sequelize,
    models,
    auditSink,
    /** Drains the audit queue, then closes the database. */
    async close() {
      await ormai.close();
      await sequelize.close();
    },
  };
}
