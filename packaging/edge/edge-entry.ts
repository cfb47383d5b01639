// Bundled by edge-runtime.test.ts and run inside Vercel's edge runtime emulator: everything here must
// work with the edge's globals only (fetch, crypto, Web streams), no Node.
import { createOrmAI, DEFAULT_PROD, MemoryAuditSink, definePolicy, policyHash, type FilterNode, type OrmAIAdapter, type Row, type SchemaInfo } from '@ormai/core';
import { upstashBudgetStore } from '@ormai/upstash';
import { ormaiTools } from '@ormai/ai-sdk';
import { Redis } from '@upstash/redis';

const ORDERS: Row[] = [
  { id: 1, tenantId: 'acme', status: 'open', email: 'jane@acme.test', amount: 120 },
  { id: 2, tenantId: 'globex', status: 'open', email: 'bob@globex.test', amount: 99 },
  { id: 3, tenantId: 'acme', status: 'shipped', email: 'ann@acme.test', amount: 40 },
];

const field = (name: string, type: 'integer' | 'string', extra: { primaryKey?: boolean; indexed?: boolean } = {}) => ({
  name, type, primaryKey: !!extra.primaryKey, allowNull: !extra.primaryKey, indexed: !!(extra.indexed || extra.primaryKey),
});

const SCHEMA: SchemaInfo = {
  models: {
    Order: {
      name: 'Order',
      primaryKey: ['id'],
      fields: {
        id: field('id', 'integer', { primaryKey: true }),
        tenantId: field('tenantId', 'string', { indexed: true }),
        status: field('status', 'string'),
        email: field('email', 'string'),
        amount: field('amount', 'integer'),
      },
      relations: {},
      indexes: [['tenantId', 'status']],
    },
  },
};

/** Enough of the plan's filter for this proof: the tenant predicate and plain equalities. Anything else is refused. */
function matches(row: Row, filter: FilterNode): boolean {
  switch (filter.kind) {
    case 'and': return filter.children.every((child) => matches(row, child));
    case 'or': return filter.children.some((child) => matches(row, child));
    case 'not': return !matches(row, filter.child);
    case 'cmp':
      if (filter.op === 'eq') return row[filter.field] === filter.value;
      if (filter.op === 'in' && Array.isArray(filter.value)) return filter.value.includes(row[filter.field] as never);
      throw new Error(`in-memory adapter: unsupported op ${filter.op}`);
  }
}

/** Canned rows, filtered by the plan core hands over (so the tenant scope is core's doing, not ours). */
const memoryAdapter: OrmAIAdapter = {
  dialect: 'memory',
  capabilities: { scanEstimate: 'none', statementTimeout: false, readOnlyTransactions: false, rowLevelSecurity: false },
  introspect: () => SCHEMA,
  select: async (plan) =>
    ORDERS.filter((row) => matches(row, plan.filter))
      .slice(0, plan.limit)
      .map((row) => Object.fromEntries(plan.fields.map((name) => [name, row[name]]))),
  aggregate: async () => [],
};

export const edgePolicy = () => definePolicy({ profile: DEFAULT_PROD, tenantScope: { field: 'tenantId' }, models: { Order: {} } });

export interface EdgeProofInput {
  redisUrl: string;
  redisToken: string;
  budgetPrefix: string;
}

/** Runs the edge story end to end and returns what it saw, for the test outside the runtime to assert. */
export async function run(input: EdgeProofInput) {
  // Read off globalThis: esbuild rewrites a bare `typeof require` to its own shim.
  const global = globalThis as Record<string, unknown>;
  const globals = { process: typeof global.process, Buffer: typeof global.Buffer, require: typeof global.require };

  const policy = edgePolicy();
  const hash = policyHash(policy);

  const sink = new MemoryAuditSink();
  const ormai = createOrmAI({ adapter: memoryAdapter, policy, secret: 'edge-proof-secret', audit: { sink } });
  const query = await ormai.call('db_query', { model: 'Order', where: { field: 'status', op: 'eq', value: 'open' } }, { tenantId: 'acme', userId: 'u1' });

  const store = upstashBudgetStore(new Redis({ url: input.redisUrl, token: input.redisToken, enableTelemetry: false, retry: false }), { prefix: input.budgetPrefix });
  const check = [{ key: 'edge-proof', limit: 2, windowMs: 60_000 }];
  const budget = [];
  for (let i = 0; i < 3; i++) budget.push(await store.take(check));

  const tools = ormaiTools(ormai, { context: { tenantId: 'acme', userId: 'u1' } });
  const toolOutput = await tools.db_query!.execute!({ model: 'Order', where: { field: 'status', op: 'eq', value: 'shipped' } }, { toolCallId: 'call-1', messages: [] });

  await ormai.audit.flush();
  const audit = { records: sink.all().map((r) => [r.action, r.decision, r.toolCallId]), chain: sink.verify() };

  // JSON, so nothing crosses the VM boundary but plain data.
  return JSON.stringify({ globals, hash, query, budget, toolNames: Object.keys(tools).sort(), toolOutput, audit });
}
