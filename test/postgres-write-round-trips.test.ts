import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataTypes } from 'sequelize';
import { createOrmAI, definePolicy, type OrmAI } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { openDatabase, type TestDatabase } from './support/databases.js';
import { expectOk } from './support/assertions.js';
import { recordStatements } from './support/pg-rows-read.js';

const REASON = 'test: adjust the balance';

/** What one write costs in round trips on PostgreSQL, and that the rows it answers are the rows it changed, pair by pair. */
describe('postgres: the statements of a write', () => {
  let db: TestDatabase;
  let ormai: OrmAI;
  const as = { tenantId: 'acme', userId: 'u' };

  beforeAll(async () => {
    db = await openDatabase('postgres');
    db.sequelize.define(
      'Account',
      { id: { type: DataTypes.INTEGER, primaryKey: true }, tenantId: { type: DataTypes.STRING, allowNull: false, field: 'tenant_id' }, balance: DataTypes.INTEGER },
      { tableName: 'accounts', timestamps: false },
    );
    await db.sequelize.sync();
    await db.sequelize.query(`INSERT INTO accounts (id, tenant_id, balance) SELECT g, CASE WHEN g <= 5 THEN 'acme' ELSE 'globex' END, g * 10 FROM generate_series(1, 8) g`);
    await db.sequelize.query('ANALYZE accounts'); // a table known to be within the scan budget: no estimate
    const policy = definePolicy({
      tenantScope: { field: 'tenantId' },
      readOnly: false,
      models: { Account: { write: { update: true, bulkUpdate: true, writableFields: ['balance'], requireReason: true } } },
    });
    ormai = createOrmAI({ adapter: sequelizeAdapter(db.sequelize), policy, secret: 's' });
  });

  afterAll(async () => {
    await db?.close();
  });

  it('an update by id sends BEGIN, its timeout, the locked row, the UPDATE returning the row, COMMIT: no reload', async () => {
    expectOk(await ormai.call('db_update', { model: 'Account', id: 1, values: { balance: 7 }, reason: REASON }, as)); // reads the table's size once
    const recorder = recordStatements();
    let result;
    try {
      result = await ormai.call('db_update', { model: 'Account', id: 2, values: { balance: 7 }, reason: REASON }, as);
    } finally {
      recorder.stop();
    }
    expect(expectOk(result).row).toEqual({ id: 2, balance: 7 });
    const sent = recorder.take().map((s) => s.text.split(/\s+/).slice(0, 2).join(' '));
    expect(sent).toEqual(['START TRANSACTION;', 'SET LOCAL', 'SELECT t."id"', 'UPDATE "accounts"', 'COMMIT;']);
    expect(recorder.take()).toEqual([]);
  });

  it('a bulk change answers the rows it changed, each paired with the same row before it', async () => {
    const preview = expectOk(
      await ormai.callTool('db_preview_write', { operation: 'bulk_update', model: 'Account', where: { field: 'balance', op: 'gte', value: 30 }, values: { balance: 1 } }, as),
    );
    expect(preview.affectedRows).toBe(3);
    expect(preview.sample).toEqual([3, 4, 5].map((id) => ({ before: { id, balance: id * 10 }, after: { id, balance: 1 } })));
  });
});
