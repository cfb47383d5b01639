import { auditKeyFromSecret, createOrmAI, type OrmAI } from '@ormai/core';
import { sequelizeAdapter, sequelizeApprovalStore, sequelizeAuditSink, type SequelizeAuditSink } from '@ormai/sequelize';
import { upstashBudgetStore } from '@ormai/upstash';
import { shopPolicy } from '@ormai/example-quickstart/src/shop/policy';
import { searchTickets } from '@ormai/example-quickstart/src/shop/search-tickets';
import { appSecret } from './app-secret';
import { SESSION_TTL_SECONDS } from './session';
import { openShop, type ShopDialect } from './shop-database';
import { toolApprovalLedger, type ToolApprovalLedger } from './tool-approval-ledger';
import { upstashRedis } from './upstash-redis';

export interface AgentApp {
  ormai: OrmAI;
  auditSink: SequelizeAuditSink;
  /** Tool approvals confirmed in the chat that were already sent to run. */
  toolApprovals: ToolApprovalLedger;
  dialect: ShopDialect;
}

/**
 * The one OrmAI instance of the server: the shop's policy over its database, gated writes queued in the
 * same database, an audit trail and the ledger of used tool approvals there too, and budgets in Upstash
 * when it is configured (else in memory, per instance). Every route and page uses this instance; a tool
 * added here reaches the agent and the UI.
 */
async function createAgentApp(): Promise<AgentApp> {
  const secret = appSecret();
  const { sequelize, dialect } = await openShop();
  const auditSink = sequelizeAuditSink(sequelize, { key: auditKeyFromSecret(secret) });
  await auditSink.migrate();
  const approvals = sequelizeApprovalStore(sequelize);
  await approvals.ready();
  const toolApprovals = await toolApprovalLedger(sequelize, SESSION_TTL_SECONDS * 1000);
  const redis = upstashRedis();
  const ormai = createOrmAI({
    adapter: sequelizeAdapter(sequelize),
    policy: shopPolicy,
    secret,
    // The demo's domain tool: ticket notes searched in the database, returned sanitized.
    tools: [searchTickets],
    approvals,
    audit: { sink: auditSink },
    ...(redis ? { budgetStore: upstashBudgetStore(redis) } : {}),
    onError: (error, { tool }) => console.error(`ormai: unexpected error in ${tool}`, error),
  });
  return { ormai, auditSink, toolApprovals, dialect };
}

const APP = Symbol.for('ormai.nextjs-agent.app');

/** Created on first use and shared by every route of the process (a failed start is retried on the next request). */
export function agentApp(): Promise<AgentApp> {
  const holder = globalThis as { [APP]?: Promise<AgentApp> };
  holder[APP] ??= createAgentApp().catch((error: unknown) => {
    delete holder[APP];
    throw error;
  });
  return holder[APP];
}
