import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataTypes } from 'sequelize';
import { createOrmAI, definePolicy, ExecutionLimitError, type OrmAI } from '@ormai/core';
import { PgReadPool, sequelizeAdapter } from '@ormai/sequelize';
import { openDatabase, type TestDatabase } from './support/databases.js';
import { expectError, expectOk } from './support/assertions.js';

const ROWS = 40_000;
const TENANTS = 20;
const KINDS = 100;

/**
 * An agent sends new values almost every call. On a table over the scan budget, the scan decision must
 * not cost a round trip per new value, and must stay the decision for the plan that actually runs.
 */
describe('postgres: the scan guard with varied values', () => {
  let db: TestDatabase;
  let ormai: OrmAI;
  const statements: string[] = [];

  beforeAll(async () => {
    db = await openDatabase('postgres');
    const tenantId = { type: DataTypes.STRING(32), allowNull: false, field: 'tenant_id' };
    db.sequelize.define(
      'Event',
      { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, tenantId, kind: DataTypes.STRING(32), payload: DataTypes.STRING },
      { tableName: 'events', timestamps: false, indexes: [{ fields: ['tenant_id', 'kind'] }] },
    );
    await db.sequelize.models.Event!.sync();
    await db.sequelize.query(
      `INSERT INTO events (tenant_id, kind, payload) SELECT 't' || (g % ${TENANTS}), 'k' || ((g / ${TENANTS}) % ${KINDS}), md5(g::text) FROM generate_series(0, ${ROWS - 1}) g`,
    );
    await db.sequelize.query('ANALYZE events');
    const policy = definePolicy({ tenantScope: { field: 'tenantId' }, budgets: { maxRows: 20, maxScanRows: 1_000 }, models: { Event: {} } });
    ormai = createOrmAI({ adapter: sequelizeAdapter(db.sequelize, { genericPlans: true, onStatement: (sql) => statements.push(sql) }), policy, secret: 's' });
  });

  afterAll(async () => {
    await db?.close();
  });

  const query = (tenant: string, kind: string) =>
    ormai.call('db_query', { model: 'Event', where: { field: 'kind', op: 'eq', value: kind }, orderBy: [{ field: 'id' }], limit: 20 }, { tenantId: tenant, userId: 'u' });

  it('new values for a statement already estimated send only the statement itself: no EXPLAIN, no statistics', async () => {
    expectOk(await query('t0', 'k0')); // the first call of this statement shape may read statistics and the plan
    statements.length = 0;
    for (let i = 1; i <= 30; i++) {
      const data = expectOk(await query(`t${i % TENANTS}`, `k${(i * 7) % KINDS}`));
      expect(data.rows.length).toBe(ROWS / (TENANTS * KINDS));
    }
    expect(statements).toHaveLength(30);
    for (const sql of statements) expect(sql).toMatch(/^SELECT .* FROM "events" AS t WHERE/);
  });

  it('a statement over budget is refused for every value, and never runs', async () => {
    statements.length = 0;
    for (let i = 0; i < 10; i++) {
      const error = expectError(
        await ormai.call('db_query', { model: 'Event', where: { field: 'payload', op: 'starts_with', value: `${i}a` }, orderBy: [{ field: 'payload' }] }, { tenantId: `t${i}`, userId: 'u' }),
        'scan_budget_exceeded',
      );
      expect(error.details).toMatchObject({ model: 'Event', maxScanRows: 1_000 });
    }
    expect(statements.filter((sql) => /^SELECT .* FROM "events" AS t WHERE/.test(sql))).toEqual([]);
    expect(statements.length).toBeLessThanOrEqual(1); // one plan probe for the new statement shape at most
  });

  it('a refused query keeps its read connection: the next read does not reconnect', async () => {
    // The guard refuses before any statement runs: nothing is wrong with the connection.
    const pool = PgReadPool.forSequelize(db.sequelize);
    const pid = () => pool.use(1_000, async (c) => Number((await c.query('SELECT pg_backend_pid() AS pid')).rows[0]!.pid));
    const first = await pid();
    const refusal = await pool.use(1_000, async () => {
      throw new ExecutionLimitError('scan_budget_exceeded', 'Event', 1_000);
    }).catch((e) => e);
    expect(ExecutionLimitError.isInstance(refusal)).toBe(true);
    expect(await pid()).toBe(first);
  });
});
