import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataTypes } from 'sequelize';
import { createOrmAI, definePolicy, type OrmAI } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { openDatabase, type TestDatabase } from './support/databases.js';
import { expectError, expectOk } from './support/assertions.js';

const BIG = { tenantId: 'big', userId: 'u-big' };
const SMALL = { tenantId: 'small-7', userId: 'u-small' };
const BIG_ROWS = 150_000;

describe('sqlite: one big tenant among small ones cannot read past the scan budget', () => {
  let db: TestDatabase;
  let ormai: OrmAI;
  const statements: string[] = [];

  beforeAll(async () => {
    db = await openDatabase('sqlite');
    db.sequelize.define(
      'Ticket',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        tenantId: { type: DataTypes.STRING(64), allowNull: false, field: 'tenant_id' },
        status: { type: DataTypes.STRING(16), allowNull: false },
        note: DataTypes.STRING,
      },
      { tableName: 'tickets', timestamps: false, indexes: [{ fields: ['tenant_id', 'status'] }] },
    );
    await db.sequelize.sync();
    // 150,000 rows for one tenant (90% of them open), 100 for each of 30 others: ANALYZE's average
    // per tenant is about 5,000 rows, per (tenant, status) about 2,500.
    await db.sequelize.query(
      `WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < ${BIG_ROWS})
       INSERT INTO tickets (tenant_id, status, note) SELECT 'big', CASE WHEN x % 10 = 0 THEN 'closed' ELSE 'open' END, 'note ' || x FROM g`,
    );
    await db.sequelize.query(
      `WITH RECURSIVE g(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM g WHERE x < 2999)
       INSERT INTO tickets (tenant_id, status, note) SELECT 'small-' || (x / 100), CASE WHEN x % 2 = 0 THEN 'closed' ELSE 'open' END, 'note ' || x FROM g`,
    );
    await db.sequelize.query('ANALYZE');
    const policy = definePolicy({ tenantScope: { field: 'tenantId' }, budgets: { maxRows: 50, maxScanRows: 10_000 }, models: { Ticket: {} } });
    ormai = createOrmAI({ adapter: sequelizeAdapter(db.sequelize, { onStatement: (sql) => statements.push(sql) }), policy, secret: 's' });
  });

  afterAll(async () => {
    await db?.close();
  });

  const readsOfTickets = () => statements.filter((sql) => /^SELECT .*FROM "tickets" AS t/.test(sql));

  it(`the big tenant's searches through the tenant index are bounded by its ${BIG_ROWS} rows, not the average tenant`, async () => {
    statements.length = 0;
    const notes = { field: 'note', op: 'contains', value: 'zzz' };
    expectError(await ormai.call('db_aggregate', { model: 'Ticket', op: 'count' }, BIG), 'scan_budget_exceeded');
    expectError(await ormai.callTool('db_query', { model: 'Ticket', where: notes }, BIG), 'scan_budget_exceeded');
    // A skewed second column too: 'open' is 90% of the big tenant.
    const open = { and: [{ field: 'status', op: 'eq', value: 'open' }, notes] };
    expectError(await ormai.callTool('db_query', { model: 'Ticket', where: open }, BIG), 'scan_budget_exceeded');
    expect(readsOfTickets()).toEqual([]);
  });

  it('key lookups stay allowed for every tenant', async () => {
    const [rows] = (await db.sequelize.query("SELECT min(id) AS id FROM tickets WHERE tenant_id = 'small-7'")) as [Array<{ id: number }>, unknown];
    const id = rows[0]!.id;
    expect(expectOk(await ormai.call('db_get', { model: 'Ticket', id }, SMALL)).row.id).toBe(id);
    expect(expectOk(await ormai.call('db_get', { model: 'Ticket', id: 5 }, BIG)).row.id).toBe(5);
    const some = expectOk(await ormai.call('db_query', { model: 'Ticket', where: { field: 'id', op: 'in', value: [1, 2, 3] } }, BIG));
    expect(some.rows.map((r: { id: number }) => r.id)).toEqual([1, 2, 3]);
  });
});
