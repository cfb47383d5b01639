import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataTypes } from 'sequelize';
import { createOrmAI, definePolicy, type FilterInput, type OrmAI } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { openDatabase, type TestDatabase } from './support/databases.js';
import { expectError, expectOk } from './support/assertions.js';

const T0 = { tenantId: 't0', userId: 'u-t0' };

describe('postgres: the scan estimate of an index condition does not depend on the values searched', () => {
  let db: TestDatabase;
  let ormai: OrmAI;
  const statements: string[] = [];

  beforeAll(async () => {
    db = await openDatabase('postgres');
    const tenantId = { type: DataTypes.STRING(64), allowNull: false, field: 'tenant_id' };
    db.sequelize.define(
      'Event',
      { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, tenantId, region: DataTypes.STRING(16), kind: DataTypes.STRING(16), note: DataTypes.STRING(16) },
      { tableName: 'events', timestamps: false, indexes: [{ fields: ['tenant_id', 'region'] }, { fields: ['tenant_id', 'kind'] }] },
    );
    db.sequelize.define(
      'Ticket',
      { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, tenantId, project: DataTypes.STRING(64) },
      { tableName: 'tickets', timestamps: false, indexes: [{ fields: ['tenant_id', 'project'] }] },
    );
    await db.sequelize.sync();
    // 5 tenants x 20,000 events; every event of tenant ti is in region ri (a tenant's own country, say),
    // and each tenant has 200 kinds of 100 events (kind g%1000 belongs to tenant g%5).
    await db.sequelize.query(
      `INSERT INTO events (tenant_id, region, kind, note) SELECT 't' || (g % 5), 'r' || (g % 5), 'k' || (g % 1000), 'n' FROM generate_series(1, 100000) g`,
    );
    // t0 spreads 50,000 tickets over 50 projects; t1 has 50,000 tickets in one secret project.
    await db.sequelize.query(`INSERT INTO tickets (tenant_id, project) SELECT 't0', 'website-' || (g % 50) FROM generate_series(1, 50000) g`);
    await db.sequelize.query(`INSERT INTO tickets (tenant_id, project) SELECT 't1', 'project-titan-acquisition' FROM generate_series(1, 50000) g`);
    await db.sequelize.query('ANALYZE events');
    await db.sequelize.query('ANALYZE tickets');
    const policy = definePolicy({ tenantScope: { field: 'tenantId' }, budgets: { maxRows: 50, maxScanRows: 10_000 }, models: { Event: {}, Ticket: {} } });
    ormai = createOrmAI({ adapter: sequelizeAdapter(db.sequelize, { onStatement: (sql) => statements.push(sql) }), policy, secret: 's' });
  });

  afterAll(async () => {
    await db?.close();
  });

  const reads = (table: string) => statements.filter((sql) => sql.startsWith(`SELECT `) && sql.includes(`FROM "${table}"`));

  it('a filter correlated with the tenant is bounded by its largest share, not the planner product of selectivities', async () => {
    // The planner multiplies 20% (tenant) by 20% (region) and expects ~4,000 rows; t0's region r0 holds all 20,000 of them.
    statements.length = 0;
    const where: FilterInput = { field: 'region', op: 'eq', value: 'r0' };
    expectError(await ormai.call('db_aggregate', { model: 'Event', op: 'count', where }, T0), 'scan_budget_exceeded');
    expectError(await ormai.call('db_query', { model: 'Event', where, orderBy: [{ field: 'note', direction: 'desc' }], limit: 5 }, T0), 'scan_budget_exceeded');
    expect(reads('events')).toEqual([]);
  });

  it('a selective indexed filter stays allowed: the bound is the column largest share, whatever the value', async () => {
    // Every kind holds 100 rows (0.1% of the table): a search for any kind reads at most 100.
    const count = expectOk(await ormai.call('db_aggregate', { model: 'Event', op: 'count', where: { field: 'kind', op: 'eq', value: 'k10' } }, T0));
    expect(count.value).toBe(100);
    const page = expectOk(await ormai.call('db_query', { model: 'Event', where: { field: 'kind', op: 'in', value: ['k10', 'k20', 'k30'] }, limit: 20 }, T0));
    expect(page.rows).toHaveLength(20);
    expectOk(await ormai.call('db_aggregate', { model: 'Event', op: 'count', where: { field: 'kind', op: 'eq', value: 'no-such-kind' } }, T0));
  });

  it("answers the same whether the value searched for is another tenant's, nobody's or the caller's own", async () => {
    statements.length = 0;
    const answers = [];
    for (const project of ['project-titan-acquisition', 'project-zeus-acquisition', 'website-3']) {
      const where: FilterInput = { field: 'project', op: 'eq', value: project };
      const query = await ormai.call('db_query', { model: 'Ticket', where, limit: 1 }, T0);
      const count = await ormai.call('db_aggregate', { model: 'Ticket', op: 'count', where }, T0);
      answers.push(JSON.stringify([query, count]));
    }
    // One project holds half the table, so any project search may read 50,000 rows: refused for every value alike.
    expect(new Set(answers).size).toBe(1);
    expect(JSON.parse(answers[0]!)[0].error.code).toBe('scan_budget_exceeded');
    expect(reads('tickets')).toEqual([]);
  });
});
