import { DataTypes, Sequelize } from 'sequelize';
import { createOrmAI, DEFAULT_PROD, definePolicy } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';

const sequelize = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false });
const Order = sequelize.define('Order', {
  tenantId: DataTypes.STRING, status: DataTypes.STRING, email: DataTypes.STRING, amount: DataTypes.INTEGER,
}, { indexes: [{ fields: ['tenantId', 'status'] }] });
await sequelize.sync();
await Order.bulkCreate([
  { tenantId: 'acme', status: 'open', email: 'jane@acme.test', amount: 120 },
  { tenantId: 'globex', status: 'open', email: 'bob@globex.test', amount: 99 },
]);

const policy = definePolicy({ profile: DEFAULT_PROD, tenantScope: { field: 'tenantId' }, models: { Order: {} } });
const adapter = sequelizeAdapter(sequelize);
const ormai = createOrmAI({ adapter, policy, secret: 'change-me' });

const res = await ormai.call('db_query', { model: 'Order', where: { field: 'status', op: 'eq', value: 'open' } },
  { tenantId: 'acme', userId: 'u1' });
console.log(JSON.stringify(res, null, 2)); // acme's order only, email masked: j***@acme.test
await ormai.close(); // the audit queue; then OrmAI's own read connections, then the app's
await adapter.close();
await sequelize.close();
