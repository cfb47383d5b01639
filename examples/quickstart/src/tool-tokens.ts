import { asSchema } from 'ai';
import { countTokens } from 'gpt-tokenizer/model/gpt-4o';
import { DataTypes, Sequelize } from 'sequelize';
import { createOrmAI, definePolicy, type OrmAI, type Policy } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { ormaiSystemPrompt, ormaiTools } from '@ormai/ai-sdk';
import { defineShopModels } from './shop/models.js';
import { shopPolicy } from './shop/policy.js';
import { searchTickets } from './shop/search-tickets.js';

/**
 * Tokens the tool definitions cost on every model call, counted with the GPT-4o tokenizer over the
 * JSON the provider receives (name, description, JSON schema of the input), for a read-only policy
 * ("read tools") and the same schema with writes ("full set"). `--json` prints the figures as JSON.
 */
type Counts = Record<string, number>;

async function toolTokens(ormai: OrmAI): Promise<Counts> {
  const perTool: Counts = {};
  for (const [name, tool] of Object.entries(ormaiTools(ormai))) {
    const definition = { type: 'function', function: { name, description: tool.description, parameters: await asSchema(tool.inputSchema).jsonSchema } };
    perTool[name] = countTokens(JSON.stringify(definition));
  }
  return perTool;
}

const total = (counts: Counts) => Object.values(counts).reduce((a, b) => a + b, 0);

/** The same policy with every write switched off. */
const readOnly = (policy: Policy): Policy =>
  definePolicy({ ...policy, readOnly: true, models: Object.fromEntries(Object.entries(policy.models).map(([name, { write: _, ...model }]) => [name, model])) }) as Policy;

/** Ten models of four columns each, every one readable and, in the full set, fully writable behind an approval rule. */
function tenModels(): { sequelize: Sequelize; full: Policy } {
  const sequelize = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false });
  const names = ['Account', 'Contact', 'Deal', 'Invoice', 'InvoiceLine', 'Payment', 'Subscription', 'Plan', 'Ticket', 'Comment'];
  for (const name of names) {
    sequelize.define(name, { tenantId: DataTypes.STRING, title: DataTypes.STRING, status: DataTypes.STRING, amount: DataTypes.INTEGER });
  }
  const write = {
    create: true,
    update: true,
    delete: true,
    bulkUpdate: true,
    writableFields: ['title', 'status', 'amount'],
    approvals: [{ name: 'large-amount', operations: ['update' as const], approverRoles: ['finance'], slaMs: 3_600_000 }],
  };
  const full = definePolicy({ readOnly: false, tenantScope: { field: 'tenantId' }, models: Object.fromEntries(names.map((n) => [n, { write }])) });
  return { sequelize, full };
}

const shop = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false });
defineShopModels(shop);
const ten = tenModels();
const schemas = [
  { label: 'demo schema (5 models, its domain tool)', sequelize: shop, full: shopPolicy as Policy, tools: [searchTickets] },
  { label: '10-model schema', sequelize: ten.sequelize, full: ten.full, tools: [] },
];

const report: Record<string, { readTools: Counts; fullSet: Counts; systemPrompt: number }> = {};
for (const { label, sequelize, full, tools } of schemas) {
  const ormaiWith = (policy: Policy) => createOrmAI({ adapter: sequelizeAdapter(sequelize), policy, secret: 'tokens', tools });
  const withWrites = ormaiWith(full);
  report[label] = {
    readTools: await toolTokens(ormaiWith(readOnly(full))),
    fullSet: await toolTokens(withWrites),
    systemPrompt: countTokens(ormaiSystemPrompt(withWrites)),
  };
}

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(report));
} else {
  for (const [label, { readTools, fullSet, systemPrompt }] of Object.entries(report)) {
    console.log(`${label}: read tools ${total(readTools)} tokens, full set ${total(fullSet)} tokens (system prompt with writes: ${systemPrompt})`);
    console.log(`  ${'tool'.padEnd(20)} ${'read tools'.padStart(10)} ${'full set'.padStart(10)}`);
    for (const name of Object.keys(fullSet)) {
      console.log(`  ${name.padEnd(20)} ${String(readTools[name] ?? '-').padStart(10)} ${String(fullSet[name]).padStart(10)}`);
    }
  }
}
