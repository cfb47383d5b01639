import { asSchema } from 'ai';
import { countTokens } from 'gpt-tokenizer/model/gpt-4o';
import { DataTypes, Sequelize } from 'sequelize';
import { createOrmAI, definePolicy, type OrmAI } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { ormaiTools } from '@ormai/ai-sdk';
import { defineShopModels } from './shop/models.js';
import { shopPolicy } from './shop/policy.js';

/**
 * Tokens the tool definitions cost on every model call, counted with the GPT-4o tokenizer over the
 * JSON the provider receives (name, description, JSON schema of the input).
 */
async function toolTokens(ormai: OrmAI): Promise<{ total: number; perTool: Record<string, number> }> {
  const perTool: Record<string, number> = {};
  for (const [name, tool] of Object.entries(ormaiTools(ormai))) {
    const definition = { type: 'function', function: { name, description: tool.description, parameters: await asSchema(tool.inputSchema).jsonSchema } };
    perTool[name] = countTokens(JSON.stringify(definition));
  }
  return { total: Object.values(perTool).reduce((a, b) => a + b, 0), perTool };
}

function tenModelOrmAI(): OrmAI {
  const sequelize = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false });
  const names = ['Account', 'Contact', 'Deal', 'Invoice', 'InvoiceLine', 'Payment', 'Subscription', 'Plan', 'Ticket', 'Comment'];
  for (const name of names) {
    sequelize.define(name, { tenantId: DataTypes.STRING, title: DataTypes.STRING, status: DataTypes.STRING, amount: DataTypes.INTEGER });
  }
  const policy = definePolicy({ tenantScope: { field: 'tenantId' }, models: Object.fromEntries(names.map((n) => [n, {}])) });
  return createOrmAI({ adapter: sequelizeAdapter(sequelize), policy, secret: 'tokens' });
}

const shop = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false });
defineShopModels(shop);
for (const [label, ormai] of [
  ['demo schema (5 models)', createOrmAI({ adapter: sequelizeAdapter(shop), policy: shopPolicy, secret: 'tokens' })],
  ['10-model schema', tenModelOrmAI()],
] as const) {
  const { total, perTool } = await toolTokens(ormai);
  console.log(`${label}: ${total} tokens for the read tools (${Object.entries(perTool).map(([n, t]) => `${n} ${t}`).join(', ')})`);
}
