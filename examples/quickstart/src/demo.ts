import { createOrmAI } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { openShopDatabase } from './shop/database.js';
import { shopPolicy } from './shop/policy.js';

const { sequelize } = await openShopDatabase();
const ormai = createOrmAI({ adapter: sequelizeAdapter(sequelize), policy: shopPolicy, secret: process.env.ORMAI_SECRET ?? 'demo-secret' });
const context = { tenantId: 'acme', userId: 'support-agent-7' };

const steps: Array<[string, string, unknown]> = [
  ['What can I see?', 'db_describe_schema', { model: 'Customer' }],
  ['Open tickets', 'db_query', { model: 'SupportTicket', where: { field: 'status', op: 'eq', value: 'open' }, limit: 3, include: [{ relation: 'customer', select: ['name', 'email'] }] }],
  ['Forge another tenant', 'db_query', { model: 'Order', where: { field: 'tenantId', op: 'eq', value: 'globex' } }],
  ['Ask for password hashes', 'db_query', { model: 'Customer', select: ['name', 'passwordHash'] }],
  ['Unbounded revenue scan', 'db_aggregate', { model: 'Order', op: 'sum', field: 'totalCents', groupBy: ['status'] }],
  ['Retry with an indexed filter', 'db_aggregate', { model: 'Order', op: 'sum', field: 'totalCents', where: { field: 'status', op: 'eq', value: 'refunded' } }],
];

for (const [title, tool, input] of steps) {
  const result = await ormai.call(tool, input, context);
  console.log(`\n== ${title}\n-> ${tool} ${JSON.stringify(input)}`);
  console.log(result.ok ? `<- allowed: ${JSON.stringify(result.data).slice(0, 400)}` : `<- refused (${result.error.code}): ${result.error.message}\n   suggestion: ${result.error.suggestion}`);
}
await sequelize.close();
