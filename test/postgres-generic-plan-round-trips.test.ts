import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataTypes } from 'sequelize';
import { createOrmAI, definePolicy, type OrmAI } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { openDatabase, type TestDatabase } from './support/databases.js';
import { expectError, expectOk } from './support/assertions.js';
import { recordStatements } from './support/pg-rows-read.js';

/**
 * The default adapter on a table over the scan budget: new values for a statement whose generic plan fits
 * cost nothing but the statement itself, counted at the driver (every text any pg client sends, the read
 * pool's session settings included); a statement whose generic plan does not fit pays what per-value plans cost.
 */
describe('postgres: round trips of the default plans', () => {
  let db: TestDatabase;
  let ormai: OrmAI;

  beforeAll(async () => {
    db = await openDatabase('postgres');
    // 40,000 tickets: 20 tenants x 100 queues of 20, a subject each.
    await db.sequelize.query(`CREATE TABLE tickets AS SELECT g AS id, 't' || (g % 20) AS tenant_id, 'q' || (g / 20 % 100) AS queue, md5(g::text) AS subject FROM generate_series(0, 39999) g`);
    await db.sequelize.query('ALTER TABLE tickets ADD PRIMARY KEY (id); CREATE INDEX tickets_tenant_queue ON tickets (tenant_id, queue); ANALYZE tickets');
    const text = { type: DataTypes.TEXT };
    db.sequelize.define('Ticket', { id: { type: DataTypes.INTEGER, primaryKey: true }, tenantId: { ...text, field: 'tenant_id' }, queue: text, subject: text }, { tableName: 'tickets', timestamps: false });
    const policy = definePolicy({ tenantScope: { field: 'tenantId' }, budgets: { maxRows: 20, maxScanRows: 1_000 }, models: { Ticket: {} } });
    ormai = createOrmAI({ adapter: sequelizeAdapter(db.sequelize), policy, secret: 's' });
  });

  afterAll(async () => {
    await db?.close();
  });

  const byQueue = (tenant: string, queue: string) =>
    ormai.call('db_query', { model: 'Ticket', where: { field: 'queue', op: 'eq', value: queue }, orderBy: [{ field: 'id' }], limit: 20 }, { tenantId: tenant, userId: 'u' });
  const bySubject = (tenant: string, prefix: string) =>
    ormai.call('db_query', { model: 'Ticket', where: { field: 'subject', op: 'starts_with', value: prefix }, orderBy: [{ field: 'subject' }] }, { tenantId: tenant, userId: 'u' });

  it('new values for a statement whose generic plan fits send the statement and nothing else', async () => {
    const recorder = recordStatements(); // from the read connection's first statement: it sees the plan mode set
    try {
      expectOk(await byQueue('t0', 'q0')); // the first call of this statement text reads statistics and its plan
      recorder.take();
      for (let i = 1; i <= 30; i++) expect(expectOk(await byQueue(`t${i % 20}`, `q${(i * 7) % 100}`)).rows).toHaveLength(20);
      const sent = recorder.take();
      expect(sent).toHaveLength(30);
      for (const { text, generic } of sent) {
        expect(text).toMatch(/^SELECT .* FROM "tickets" AS t WHERE/);
        expect(generic).toBe(true);
      }
    } finally {
      recorder.stop();
    }
  });

  it('a statement whose generic plan is over budget costs one EXPLAIN per new values, and never runs when refused', async () => {
    const recorder = recordStatements();
    try {
      for (let i = 0; i < 10; i++) expectError(await bySubject(`t${i}`, `${i}a`), 'scan_budget_exceeded');
      const sent = recorder.take().map((s) => s.text);
      expect(sent.filter((sql) => sql.startsWith('SELECT ') && sql.includes('FROM "tickets" AS t'))).toEqual([]);
      // The new statement text's plan probe, then one EXPLAIN per call (catalog statistics are cached from the first test).
      expect(sent.filter((sql) => sql.includes('PREPARE'))).toHaveLength(1);
      expect(sent.filter((sql) => sql.startsWith('EXPLAIN'))).toHaveLength(10);
      expect(sent).toHaveLength(11);
    } finally {
      recorder.stop();
    }
  });
});
