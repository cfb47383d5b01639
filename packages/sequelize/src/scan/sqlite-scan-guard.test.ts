import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataTypes, Sequelize } from 'sequelize';
import { createOrmAI, definePolicy, type OrmAI } from '@ormai/core';
import { sequelizeAdapter } from '../sequelize-adapter.js';

describe('sqliteScanGuard on a WITHOUT ROWID table', () => {
  let sequelize: Sequelize;
  let ormai: OrmAI;

  beforeAll(async () => {
    sequelize = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false });
    // Primary key (tenant_id, id): the table is that key's b-tree, and SQLite plans a tenant's rows as a primary-key search.
    await sequelize.query('CREATE TABLE ledger (tenant_id TEXT NOT NULL, id INTEGER NOT NULL, amount INTEGER NOT NULL, PRIMARY KEY (tenant_id, id)) WITHOUT ROWID');
    await sequelize.query(`WITH RECURSIVE g(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM g WHERE x < 9999) INSERT INTO ledger SELECT 't' || (x % 2), x, x % 100 FROM g`);
    sequelize.define(
      'Entry',
      { tenantId: { type: DataTypes.STRING, allowNull: false, field: 'tenant_id' }, id: { type: DataTypes.INTEGER, primaryKey: true }, amount: DataTypes.INTEGER },
      { tableName: 'ledger', timestamps: false },
    );
    const policy = definePolicy({ tenantScope: { field: 'tenantId' }, budgets: { maxRows: 50, maxScanRows: 1_000 }, models: { Entry: {} } });
    ormai = createOrmAI({ adapter: sequelizeAdapter(sequelize), policy, secret: 's' });
  });

  afterAll(async () => {
    await sequelize?.close();
  });

  const as = { tenantId: 't1', userId: 'u' };

  it("refuses a count over one tenant's 5,000 rows: a primary-key prefix is a range, not one row", async () => {
    const count = await ormai.call('db_aggregate', { model: 'Entry', op: 'count', where: { field: 'amount', op: 'eq', value: 7 } }, as);
    expect(count.ok ? count.data : count.error.code).toBe('scan_budget_exceeded');
  });

  it('still serves a lookup by the whole primary key', async () => {
    const row = await ormai.call('db_get', { model: 'Entry', id: 7 }, as);
    expect(row.ok ? row.data : row.error).toMatchObject({ row: { id: 7, amount: 7 } });
  });
});
