import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createOrmAI } from '@ormai/core';
import { sequelizeAdapter, sequelizeApprovalStore } from '@ormai/sequelize';
import { DIALECTS } from './support/databases.js';
import { useShop } from './support/shop-fixture.js';
import { writePolicy } from './support/shop.js';
import { sqlAuditSink } from './support/audit-sql.js';
import { runLoad, shopAgents } from './support/load-agents.js';

/**
 * Issue 14's memory check: a long-lived instance answering many calls keeps a flat heap. `npm test`
 * makes 10,000 calls per dialect; `npx tsx scripts/long-run.ts memory` makes 100,000.
 */
const CALLS = Number(process.env.ORMAI_MEMORY_CALLS ?? 10_000);
/** Enough calls to fill every bounded cache and pool before the baseline is taken. */
const WARM_UP_CALLS = 3_000;
/**
 * The stated bound: 2 MB (what a forced GC leaves of noise here), plus 10 bytes per call. A leak of
 * one SQL text per call (about 300 bytes) breaks it within the 10,000 calls of `npm test`.
 */
const boundBytes = (calls: number) => 2 * 1024 * 1024 + 10 * calls;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const settledHeap = () => {
  for (let i = 0; i < 3; i += 1) gc();
  return process.memoryUsage().heapUsed;
};

for (const dialect of DIALECTS) {
  describe(`${dialect}: memory over many calls`, () => {
    const shop = useShop(dialect);

    it(`${CALLS} calls (reads, writes, refusals; SQL audit and approvals) grow the heap by less than the stated bound`, { timeout: 60_000 + CALLS * 5 }, async () => {
      const { sequelize } = shop.db;
      const approvals = sequelizeApprovalStore(sequelize);
      await approvals.ready();
      // An adapter of its own: the fixture's records every statement's text, which is the test's memory, not OrmAI's.
      const adapter = sequelizeAdapter(sequelize);
      const ormai = createOrmAI({ adapter, policy: writePolicy(), secret: 'test-secret', approvals, audit: { sink: await sqlAuditSink(sequelize, 'ormai_memory') } });
      const agents = shopAgents(shop.seeded, 8);

      await runLoad(ormai, agents, { calls: WARM_UP_CALLS });
      const before = settledHeap();
      const report = await runLoad(ormai, agents, { calls: CALLS });
      await ormai.audit.flush();
      const grown = settledHeap() - before;
      console.log(`memory (${dialect}): ${report.calls} calls, heap ${(before / 2 ** 20).toFixed(1)} MB -> grew ${(grown / 2 ** 20).toFixed(2)} MB (bound ${(boundBytes(report.calls) / 2 ** 20).toFixed(2)} MB)`);

      expect(report.leaks).toEqual([]);
      expect(report.byCode['internal_error']).toBeUndefined();
      expect(grown).toBeLessThan(boundBytes(report.calls));
      await ormai.close();
    });
  });
}
