import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataTypes } from 'sequelize';
import { createOrmAI, definePolicy, type OrmAI } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { openDatabase, type TestDatabase } from './support/databases.js';
import { expectOk } from './support/assertions.js';
import { ACME } from './support/shop-fixture.js';

describe('postgres: values beyond JavaScript precision page correctly', () => {
  let db: TestDatabase;
  let ormai: OrmAI;

  beforeAll(async () => {
    db = await openDatabase('postgres');
    db.sequelize.define(
      'Reading',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        tenantId: { type: DataTypes.STRING, field: 'tenant_id' },
        takenAt: { type: DataTypes.DATE, field: 'taken_at' },
        value: DataTypes.DECIMAL(30, 20),
      },
      { tableName: 'readings', timestamps: false },
    );
    await db.sequelize.sync();
    // Three readings a microsecond apart, with decimals that differ beyond a double's precision.
    await db.sequelize.query(`INSERT INTO readings (tenant_id, taken_at, value) VALUES
      ('acme', '2026-03-01 10:00:00.000100+00', 1.00000000000000000001),
      ('acme', '2026-03-01 10:00:00.000200+00', 1.00000000000000000002),
      ('acme', '2026-03-01 10:00:00.000300+00', 1.00000000000000000003)`);
    ormai = createOrmAI({ adapter: sequelizeAdapter(db.sequelize), policy: definePolicy({ tenantScope: { field: 'tenantId' }, models: { Reading: {} } }), secret: 's' });
  });

  afterAll(async () => {
    await db?.close();
  });

  for (const field of ['takenAt', 'value']) {
    it(`keyset pages over ${field} visit each row once`, async () => {
      const seen: number[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 6; page++) {
        const data = expectOk(await ormai.call('db_query', { model: 'Reading', orderBy: [{ field, direction: 'desc' }], limit: 1, ...(cursor ? { cursor } : {}) }, ACME));
        seen.push(...data.rows.map((r: { id: number }) => r.id));
        cursor = data.nextCursor ?? undefined;
        if (!cursor) break;
      }
      expect(seen).toEqual([3, 2, 1]);
    });
  }

  it('returns microseconds and exact decimals as the database holds them', async () => {
    const data = expectOk(await ormai.call('db_get', { model: 'Reading', id: 2 }, ACME));
    expect(data.row.takenAt).toBe('2026-03-01T10:00:00.000200Z');
    expect(data.row.value).toBe('1.00000000000000000002');
  });
});
