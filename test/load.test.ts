import { describe, expect, it } from 'vitest';
import { createOrmAI, ERROR_CODES } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { ioredisBudgetStore } from '@ormai/upstash/node';
import { useRedis } from '../packages/upstash/src/test-support/redis.js';
import { useShop } from './support/shop-fixture.js';
import { writePolicy } from './support/shop.js';
import { sqlAuditSink } from './support/audit-sql.js';
import { runLoad, shopAgents } from './support/load-agents.js';

/** Issue 14's load run: `npx tsx scripts/load.ts` runs it for 30 s; `npm test` for a few seconds. */
const SECONDS = Number(process.env.ORMAI_LOAD_SECONDS ?? 3);
const AGENTS = 32;

describe('load: 32 concurrent agents on PostgreSQL, SQL audit sink and Redis budgets', () => {
  const shop = useShop('postgres');
  const redisReady = useRedis('load');

  it('every call answers with a known outcome, nothing leaks, and the audit trail holds one record per call', { timeout: 120_000 + SECONDS * 2_000 }, async () => {
    const { redis, prefix } = await redisReady;
    const { sequelize } = shop.db;
    const sink = await sqlAuditSink(sequelize, 'ormai_load');
    const failures: unknown[] = [];
    const ormai = createOrmAI({
      adapter: sequelizeAdapter(sequelize),
      policy: writePolicy(),
      secret: 'test-secret',
      audit: { sink },
      budgetStore: ioredisBudgetStore(redis, { prefix }),
      onError: (error) => failures.push(error),
    });
    const agents = shopAgents(shop.seeded, AGENTS);

    const report = await runLoad(ormai, agents, { seconds: SECONDS });
    console.log(`load: ${JSON.stringify(report, null, 2)}`);

    expect(report.leaks).toEqual([]);
    expect(failures).toEqual([]);
    expect(Object.keys(report.byCode).filter((code) => code !== 'allowed' && !(ERROR_CODES as readonly string[]).includes(code))).toEqual([]);
    expect(report.byCode['internal_error']).toBeUndefined();
    // The mix must really exercise reads, committed writes and refusals.
    expect(report.outcomes['db_query allowed']).toBeGreaterThan(0);
    expect((report.outcomes['db_update allowed'] ?? 0) + (report.outcomes['db_create allowed'] ?? 0)).toBeGreaterThan(0);
    expect(report.byCode['reason_required']).toBeGreaterThan(0);

    await ormai.close();
    await sink.sealAll();
    const { tablePrefix, chain } = sink.location;
    const [rows] = await sequelize.query(`SELECT action, decision, count(*)::int AS n FROM ${tablePrefix}_records WHERE chain = $1 GROUP BY action, decision`, { bind: [chain] });
    const stored = Object.fromEntries((rows as Array<{ action: string; decision: string; n: number }>).map((r) => [`${r.action} ${r.decision}`, r.n]));
    expect(stored).toEqual(report.outcomes);
    expect(await sink.verify()).toMatchObject({ ok: true, count: report.calls });
  });
});
