import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataTypes } from 'sequelize';
import { createOrmAI, definePolicy, type OrmAI } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { openDatabase, type TestDatabase } from './support/databases.js';
import { expectError, expectOk } from './support/assertions.js';
import { ACME } from './support/shop-fixture.js';

const INITECH = { tenantId: 'initech', userId: 'u-initech' };

const EVENT_ROWS = 200_000;

describe('postgres: scan budget and statement timeout on a large table', () => {
  let db: TestDatabase;
  let ormai: OrmAI;
  const statements: string[] = [];

  beforeAll(async () => {
    db = await openDatabase('postgres');
    const tenantId = { type: DataTypes.STRING(64), allowNull: false, field: 'tenant_id' };
    db.sequelize.define(
      'Event',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        tenantId,
        kind: { type: DataTypes.STRING(32), allowNull: false },
        payload: DataTypes.STRING,
        createdAt: { type: DataTypes.DATE, field: 'created_at' },
      },
      { tableName: 'events', timestamps: false, indexes: [{ fields: ['tenant_id', 'kind'] }, { fields: ['tenant_id', 'id'] }] },
    );
    // The same rows with only a primary key: a walk in id order must filter the tenant's rows out of everyone's.
    db.sequelize.define(
      'LegacyEvent',
      { id: { type: DataTypes.INTEGER, primaryKey: true }, tenantId, kind: DataTypes.STRING(32), createdAt: { type: DataTypes.DATE, field: 'created_at' } },
      { tableName: 'legacy_events', timestamps: false },
    );
    // Same rows, but statistics that lie: one table never analyzed, one analyzed while it was empty.
    for (const [name, table] of [['UnanalyzedEvent', 'events_unanalyzed'], ['StaleEvent', 'events_stale']] as const) {
      db.sequelize.define(name, { id: { type: DataTypes.INTEGER, primaryKey: true }, tenantId, kind: DataTypes.STRING(32) }, { tableName: table, timestamps: false });
    }
    db.sequelize.define(
      'SlowReport',
      { id: { type: DataTypes.INTEGER, primaryKey: true }, tenantId, title: DataTypes.STRING },
      { tableName: 'slow_reports', timestamps: false },
    );
    await db.sequelize.models.Event!.sync();
    await db.sequelize.query(
      `INSERT INTO events (tenant_id, kind, payload, created_at)
       SELECT CASE WHEN g % 2 = 0 THEN 'acme' ELSE 'globex' END, 'kind-' || (g % 1000), md5(g::text), now() - g * interval '1 second'
       FROM generate_series(1, ${EVENT_ROWS}) g`,
    );
    // Initech signed up last: its 2,000 rows hold the highest ids, after everyone else's.
    await db.sequelize.query(
      `INSERT INTO events (tenant_id, kind, payload, created_at)
       SELECT 'initech', 'kind-' || (g % 10), md5(g::text), now() + g * interval '1 second' FROM generate_series(1, 2000) g`,
    );
    await db.sequelize.query('ANALYZE events');
    await db.sequelize.query('CREATE TABLE legacy_events (id integer PRIMARY KEY, tenant_id varchar(64) NOT NULL, kind varchar(32), created_at timestamptz)');
    await db.sequelize.query('INSERT INTO legacy_events SELECT id, tenant_id, kind, created_at FROM events');
    await db.sequelize.query('ANALYZE legacy_events');
    for (const table of ['events_unanalyzed', 'events_stale']) {
      await db.sequelize.query(`CREATE TABLE ${table} (id integer PRIMARY KEY, tenant_id varchar(64) NOT NULL, kind varchar(32)) WITH (autovacuum_enabled = false)`);
    }
    await db.sequelize.query('ANALYZE events_stale');
    for (const table of ['events_unanalyzed', 'events_stale']) {
      await db.sequelize.query(`INSERT INTO ${table} SELECT id, tenant_id, kind FROM events`);
    }
    // A view that takes a full second per read: the stand-in for a pathological query.
    await db.sequelize.query(
      `CREATE VIEW slow_reports AS SELECT 1 AS id, 'acme'::varchar(64) AS tenant_id, 'quarterly'::varchar AS title FROM (SELECT pg_sleep(1)) AS s`,
    );
    const policy = definePolicy({
      tenantScope: { field: 'tenantId' },
      budgets: { maxRows: 50, maxScanRows: 10_000, statementTimeoutMs: 2_000 },
      models: { Event: {}, LegacyEvent: {}, UnanalyzedEvent: {}, StaleEvent: {}, SlowReport: { budgets: { statementTimeoutMs: 100 } } },
    });
    ormai = createOrmAI({ adapter: sequelizeAdapter(db.sequelize, { onStatement: (sql) => statements.push(sql) }), policy, secret: 's' });
  });

  afterAll(async () => {
    await db?.close();
  });

  const readsOfEvents = () => statements.filter((sql) => /^SELECT .* FROM "events"/.test(sql));

  it(`an unfiltered query over ${EVENT_ROWS} rows is refused before it runs`, async () => {
    statements.length = 0;
    const error = expectError(await ormai.call('db_query', { model: 'Event', orderBy: [{ field: 'payload' }] }, ACME), 'scan_budget_exceeded');
    expect(error.details).toEqual({ model: 'Event', maxScanRows: 10_000, indexedFields: ['id', 'kind'] });
    expect(error.suggestion).toContain('kind');
    expect(statements.some((sql) => sql.startsWith('EXPLAIN (FORMAT JSON) SELECT'))).toBe(true);
    expect(readsOfEvents()).toEqual([]);
  });

  it('an unfiltered aggregate is refused too', async () => {
    statements.length = 0;
    expectError(await ormai.call('db_aggregate', { model: 'Event', op: 'count', groupBy: ['payload'] }, ACME), 'scan_budget_exceeded');
    const where = { field: 'payload', op: 'contains', value: 'abc' };
    expectError(await ormai.callTool('db_aggregate', { model: 'Event', op: 'count', where }, ACME), 'scan_budget_exceeded');
    expect(readsOfEvents()).toEqual([]);
  });

  it('tables whose statistics cannot be trusted are estimated from their size on disk', async () => {
    for (const model of ['UnanalyzedEvent', 'StaleEvent']) {
      expectError(await ormai.call('db_aggregate', { model, op: 'count' }, ACME), 'scan_budget_exceeded');
    }
  });

  it('the same table filtered on an indexed field runs within budget', async () => {
    const data = expectOk(await ormai.call('db_query', { model: 'Event', where: { field: 'kind', op: 'eq', value: 'kind-42' }, limit: 50 }, ACME));
    expect(data.rows.length).toBe(50);
    for (const row of data.rows) expect(row.kind).toBe('kind-42');
    const count = expectOk(await ormai.call('db_aggregate', { model: 'Event', op: 'count', where: { field: 'kind', op: 'eq', value: 'kind-42' } }, ACME));
    expect(count.value).toBe(EVENT_ROWS / 1000); // every id ending in 042 is even, so all are acme's
  });

  it('a LIMITed walk along an index led by the tenant is cheap and allowed: the estimate is rows read, not table size', async () => {
    const data = expectOk(await ormai.call('db_query', { model: 'Event', select: ['id'], limit: 20 }, INITECH));
    expect(data.rows).toHaveLength(20);
    for (const row of data.rows) expect(row.id).toBeGreaterThan(EVENT_ROWS);
  });

  it('under a LIMIT, a filter whose matches all sit at the far end of the walk is refused, not assumed spread out', async () => {
    // created_at falls as id rises: the 2,000 oldest rows are the last 2,000 ids. Walking in id order to find
    // 20 of them reads every row before them, while an even spread would find them within the first few thousand.
    const [rows] = (await db.sequelize.query('SELECT min(created_at) AS oldest FROM events')) as [Array<{ oldest: Date }>, unknown];
    const where = { field: 'createdAt', op: 'lt', value: new Date(new Date(rows[0]!.oldest).getTime() + 2_000_000).toISOString() };
    for (const model of ['Event', 'LegacyEvent']) {
      statements.length = 0;
      expectError(await ormai.callTool('db_query', { model, select: ['id'], where, orderBy: [{ field: 'id' }], limit: 20 }, ACME), 'scan_budget_exceeded');
      expect(statements.filter((sql) => /^SELECT .* FROM "(legacy_)?events"/.test(sql))).toEqual([]);
    }
  });

  it('a walk along the primary key alone, filtered to one tenant, is refused: all its rows may come last', async () => {
    // Without an index led by the tenant, Initech's first 20 ids sit behind 200,000 rows of other tenants.
    statements.length = 0;
    expectError(await ormai.call('db_query', { model: 'LegacyEvent', select: ['id'], limit: 20 }, INITECH), 'scan_budget_exceeded');
    expect(statements.filter((sql) => /^SELECT .* FROM "legacy_events"/.test(sql))).toEqual([]);
    // A single row by key stays a one-row read, on either table.
    for (const model of ['Event', 'LegacyEvent']) expectOk(await ormai.call('db_get', { model, id: 2 }, ACME));
  });

  it('a slow statement is cancelled by statement_timeout and the connection stays usable', async () => {
    // Only the server cancelling the statement (SQLSTATE 57014) produces this code.
    const error = expectError(await ormai.call('db_query', { model: 'SlowReport' }, ACME), 'statement_timeout');
    expect(error).toMatchObject({ retryable: true, details: { model: 'SlowReport', timeoutMs: 100 } });
    expect(error.suggestion).toMatch(/narrower filter/);
    for (let i = 0; i < 10; i++) expectOk(await ormai.call('db_query', { model: 'Event', select: ['id'], limit: 1 }, INITECH));
  });
});
