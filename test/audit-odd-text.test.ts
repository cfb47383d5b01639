import { describe, expect, it } from 'vitest';
import { AUDIT_VIEWS, auditViewName } from '@ormai/sequelize';
import { DIALECTS } from './support/databases.js';
import { ACME, useShop } from './support/shop-fixture.js';
import { writePolicy } from './support/shop.js';
import { sqlAuditSink } from './support/audit-sql.js';

const REASON = 'customer asked by email to correct the order';

for (const dialect of DIALECTS) {
  describe(`${dialect}: text an agent or a host can send never breaks the audit`, () => {
    const shop = useShop(dialect);

    it('NUL, control characters and a surrogate pair cut at the length cap: the chain verifies, the saved queries run', async () => {
      const prefix = `odd_${dialect}`;
      const sink = await sqlAuditSink(shop.db.sequelize, prefix);
      const ormai = shop.withPolicy(writePolicy(), { audit: { sink } });
      const context = { ...ACME, userId: `${'u'.repeat(199)}😀`, sessionId: 'session\u0000\u0007one', requestId: '\uD83D' };
      await ormai.callTool('db_query\u0000evil', { model: 'Order' }, context);
      await ormai.callTool('db_query', { model: 'Order', where: { field: 'status', op: 'eq', value: 'open\u0000' }, limit: 1 }, context);
      await ormai.callTool('db_update', { model: 'Order', id: shop.seeded.acmeOrderIds[10]!, values: { status: 'shipped' }, reason: `${REASON}\u0000` }, context);
      await ormai.approvals.approve('apr_\u0000nothing', { ...ACME, roles: ['finance'] }, 'note\u0000');
      await ormai.close();
      expect(await sink.verify()).toMatchObject({ ok: true, count: 4 });
      const [rows] = await shop.db.sequelize.query(`SELECT user_id, action FROM ${prefix}_records ORDER BY at`);
      const stored = rows as Array<{ user_id: string; action: string }>;
      expect(stored.map((r) => r.action)).toEqual(['db_queryevil', 'db_query', 'db_update', 'approvals.approve']);
      // Cut before the emoji, not through it.
      expect(stored.slice(0, 3).map((r) => r.user_id)).toEqual(Array(3).fill('u'.repeat(199)));
      if (dialect === 'postgres') {
        for (const view of AUDIT_VIEWS) await shop.db.sequelize.query(`SELECT * FROM ${auditViewName({ tablePrefix: prefix, schema: undefined }, view)}`);
      }
    });
  });
}
