// A user's agent loop over the packed packages, compiled like a strict app (see tsconfig.json here)
// and run with plain node: ormaiTools and ormaiStopWhen side by side in generateText, on the AI SDK's
// mock model, so no network and no key.
import { generateText } from 'ai';
import { DataTypes, Sequelize } from 'sequelize';
import { createOrmAI, DEFAULT_PROD, definePolicy } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { ormaiStopWhen, ormaiSystemPrompt, ormaiTools } from '@ormai/ai-sdk';
import { scriptedModel } from '@ormai/ai-sdk/testing';

const sequelize = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false });
const Order = sequelize.define('Order', { tenantId: DataTypes.STRING, status: DataTypes.STRING, email: DataTypes.STRING });
await sequelize.sync();
await Order.bulkCreate([
  { tenantId: 'acme', status: 'open', email: 'jane@acme.test' },
  { tenantId: 'globex', status: 'open', email: 'bob@globex.test' },
]);

const policy = definePolicy({ profile: DEFAULT_PROD, tenantScope: { field: 'tenantId' }, models: { Order: {} } });
const ormai = createOrmAI({ adapter: sequelizeAdapter(sequelize), policy, secret: 'change-me' });

const model = scriptedModel(({ step, lastToolResults }) =>
  step === 0
    ? { toolCalls: [{ toolName: 'db_query', input: { model: 'Order', where: { field: 'status', op: 'eq', value: 'open' } } }] }
    : { text: JSON.stringify(lastToolResults[0]?.output) },
);
const result = await generateText({
  model,
  system: ormaiSystemPrompt(ormai),
  prompt: 'Which orders are still open?',
  tools: ormaiTools(ormai, { context: { tenantId: 'acme', userId: 'u1' } }),
  stopWhen: ormaiStopWhen(),
});
console.log(result.text);
await sequelize.close();
