import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataTypes } from 'sequelize';
import { createOrmAI, definePolicy, type FilterInput } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { openDatabase, type TestDatabase } from './support/databases.js';
import { expectError, expectOk } from './support/assertions.js';

const T0 = { tenantId: 't0', userId: 'u-t0' };
const policy = definePolicy({ tenantScope: { field: 'tenantId' }, budgets: { maxRows: 50, maxScanRows: 1_000 }, models: { Event: {}, Log: {} } });

/** Conditions PostgreSQL plans differently from how the statement reads, and statistics older than the table. */
describe('postgres: the scan estimate follows the plan and the table as they are', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openDatabase('postgres');
    const tenantId = { type: DataTypes.STRING(64), allowNull: false, field: 'tenant_id' };
    db.sequelize.define('Event', { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, tenantId, code: DataTypes.STRING(16) }, { tableName: 'events', timestamps: false, indexes: [{ fields: ['tenant_id', 'code'] }] });
    db.sequelize.define('Log', { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, tenantId, msg: DataTypes.STRING(16) }, { tableName: 'logs', timestamps: false });
    await db.sequelize.sync();
    // 20,000 events, half of them tenant t0's, 400 codes of 50 events each.
    await db.sequelize.query(`INSERT INTO events (tenant_id, code) SELECT CASE WHEN g % 2 = 0 THEN 't0' ELSE 't' || (g % 20) END, 'c' || (g % 400) FROM generate_series(1, 20000) g`);
    await db.sequelize.query('ANALYZE events');
    // Logs emptied and analyzed (0 rows in its pages), then reloaded with 20,000 rows before the next ANALYZE.
    await db.sequelize.query('ALTER TABLE logs SET (autovacuum_enabled = false)');
    await db.sequelize.query(`INSERT INTO logs (tenant_id, msg) SELECT 't0', 'm' FROM generate_series(1, 5000) g`);
    await db.sequelize.query('DELETE FROM logs');
    await db.sequelize.query('ANALYZE logs');
    await db.sequelize.query(`INSERT INTO logs (tenant_id, msg) SELECT 't0', 'm' || g FROM generate_series(1, 20000) g`);
  });

  afterAll(async () => {
    await db?.close();
  });

  const codes = (n: number) => Array.from({ length: n }, (_, i) => `c${i * 2}`);

  for (const genericPlans of [false, true]) {
    it(`prices NOT (code NOT IN list) like the IN list PostgreSQL plans it as (${genericPlans ? 'generic' : 'custom'} plans)`, async () => {
      const ormai = createOrmAI({ adapter: sequelizeAdapter(db.sequelize, { genericPlans }), policy, secret: 's' });
      const count = (where: FilterInput) => ormai.call('db_aggregate', { model: 'Event', op: 'count', where }, T0);
      // 30 codes of up to 50 events each may read 1,500 rows: over the budget however the list is spelled.
      expectError(await count({ field: 'code', op: 'in', value: codes(30) }), 'scan_budget_exceeded');
      expectError(await count({ not: { field: 'code', op: 'not_in', value: codes(30) } }), 'scan_budget_exceeded');
      // 5 codes stay within it.
      expect(expectOk(await count({ not: { field: 'code', op: 'not_in', value: codes(5) } })).value).toBe(250);
    });
  }

  it('refuses a full scan of a table reloaded after it was emptied and analyzed', async () => {
    const ormai = createOrmAI({ adapter: sequelizeAdapter(db.sequelize), policy, secret: 's' });
    expectError(await ormai.call('db_aggregate', { model: 'Log', op: 'count', where: { field: 'msg', op: 'contains', value: '9' } }, T0), 'scan_budget_exceeded');
  });
});
