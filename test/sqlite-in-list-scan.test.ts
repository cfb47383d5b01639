import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataTypes } from 'sequelize';
import { createOrmAI, definePolicy, type FilterInput, type OrmAI } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { openDatabase, type TestDatabase } from './support/databases.js';
import { expectError, expectOk } from './support/assertions.js';

const ACME = { tenantId: 'acme', userId: 'u-acme' };
const hundred = Array.from({ length: 100 }, (_, i) => i);

describe('sqlite: IN lists on several columns of one index multiply the searches', () => {
  let db: TestDatabase;
  let ormai: OrmAI;
  const statements: string[] = [];

  beforeAll(async () => {
    db = await openDatabase('sqlite');
    db.sequelize.define(
      'Event',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        tenantId: { type: DataTypes.STRING(64), allowNull: false, field: 'tenant_id' },
        status: DataTypes.INTEGER,
        customerId: { type: DataTypes.INTEGER, field: 'customer_id' },
      },
      { tableName: 'events', timestamps: false, indexes: [{ fields: ['tenant_id', 'status', 'customer_id'] }] },
    );
    await db.sequelize.sync();
    // Acme: 5 events for each of 100 statuses x 100 customers (50,000); Globex: 10,000 events.
    await db.sequelize.query(
      `WITH RECURSIVE g(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM g WHERE x < 49999)
       INSERT INTO events (tenant_id, status, customer_id) SELECT 'acme', (x / 5) % 100, x / 500 FROM g`,
    );
    await db.sequelize.query(
      `WITH RECURSIVE g(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM g WHERE x < 9999)
       INSERT INTO events (tenant_id, status, customer_id) SELECT 'globex', x % 7, x FROM g`,
    );
    const policy = definePolicy({ tenantScope: { field: 'tenantId' }, budgets: { maxRows: 50, maxScanRows: 10_000 }, models: { Event: {} } });
    ormai = createOrmAI({ adapter: sequelizeAdapter(db.sequelize, { onStatement: (sql) => statements.push(sql) }), policy, secret: 's' });
  });

  afterAll(async () => {
    await db?.close();
  });

  it('100 statuses x 100 customers is 10,000 searches of the index, not 100', async () => {
    statements.length = 0;
    const where: FilterInput = { and: [{ field: 'status', op: 'in', value: hundred }, { field: 'customerId', op: 'in', value: hundred }] };
    expectError(await ormai.call('db_aggregate', { model: 'Event', op: 'count', where }, ACME), 'scan_budget_exceeded');
    expect(statements.filter((sql) => /^SELECT .*FROM "events" AS t/.test(sql))).toEqual([]);
  });

  it('a few keys on each column stay allowed', async () => {
    const where: FilterInput = { and: [{ field: 'status', op: 'in', value: [1, 2, 3] }, { field: 'customerId', op: 'in', value: [4, 5] }] };
    expect(expectOk(await ormai.call('db_aggregate', { model: 'Event', op: 'count', where }, ACME)).value).toBe(30);
  });
});
