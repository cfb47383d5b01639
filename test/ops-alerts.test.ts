import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataTypes } from 'sequelize';
import {
  alertMiddleware, auditSinkDetector, createOrmAI, definePolicy, denialSpikeDetector, MemoryAuditSink, statementTimeoutDetector, writeRateDetector, type Alert,
  type AlertDetector, type OrmAI,
} from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { openDatabase, type TestDatabase } from './support/databases.js';
import { ACME, useShop } from './support/shop-fixture.js';
import { shopPolicy, writePolicy } from './support/shop.js';
import { expectError, expectOk } from './support/assertions.js';

const REASON = 'customer asked by email to correct the name';
const MINUTE = 60_000;

/** A clock the test moves; the instance and the alerts share it. */
function fakeClock() {
  const clock = { now: Date.UTC(2026, 10, 1), read: () => clock.now };
  return clock;
}

/** An instance whose calls feed `detectors`; the alerts it delivered, and the middleware (for `check()`). */
function alerting(make: (middleware: ReturnType<typeof alertMiddleware>, clock: () => number) => OrmAI, detectors: (audit: () => OrmAI) => AlertDetector[]) {
  const time = fakeClock();
  const delivered: Alert[] = [];
  let ormai: OrmAI | null = null;
  const alerts = alertMiddleware({ detectors: detectors(() => ormai!), onAlert: (alert) => delivered.push(alert), clock: time.read });
  ormai = make(alerts, time.read);
  return { ormai, alerts, delivered, time, kinds: () => delivered.map((a) => a.kind) };
}

describe('alerts on a real instance (fake clock)', () => {
  const shop = useShop('sqlite');

  it('policy denial spike: the fifth denial in a minute alerts once, with counts and no tenant data', async () => {
    const { ormai, delivered, time, kinds } = alerting(
      (alerts, clock) => shop.withPolicy(shopPolicy(), { clock, middleware: [alerts] }),
      () => [denialSpikeDetector({ threshold: 5, baselineMultiple: 0 })],
    );
    const probe = () => ormai.callTool('db_get', { model: 'Customer', id: shop.seeded.globexCustomerIds[0], select: ['apiToken'] }, ACME);
    for (let i = 0; i < 4; i++) {
      expectError(await probe(), 'field_not_allowed');
      time.now += 5_000;
    }
    expectOk(await ormai.call('db_aggregate', { model: 'Order', op: 'count' }, ACME));
    expect(delivered).toEqual([]);
    expectError(await probe(), 'field_not_allowed');
    expectError(await probe(), 'field_not_allowed');
    expect(kinds()).toEqual(['denial_spike']);
    expect(delivered[0]).toMatchObject({ severity: 'warning', time: new Date(time.now).toISOString(), details: { count: 5, windowMs: MINUTE, threshold: 5 } });
    expect(JSON.stringify(delivered)).not.toMatch(/acme|globex|apiToken/i);
  });

  it('write rate: successful writes past the threshold alert; refused ones do not count', async () => {
    const { ormai, time, kinds } = alerting(
      (alerts, clock) => shop.withPolicy(writePolicy(), { clock, middleware: [alerts] }),
      () => [writeRateDetector({ threshold: 3, baselineMultiple: 0 })],
    );
    const id = shop.seeded.acmeCustomerIds[2]!;
    for (let i = 0; i < 3; i++) expectError(await ormai.callTool('db_update', { model: 'Order', id: shop.seeded.acmeOrderIds[0], values: { amount: i } }, ACME), 'reason_required');
    expectOk(await ormai.call('db_update', { model: 'Customer', id, values: { name: 'renamed 1' }, reason: REASON }, ACME));
    expectOk(await ormai.call('db_update', { model: 'Customer', id, values: { name: 'renamed 2' }, reason: REASON }, ACME));
    expect(kinds()).toEqual([]);
    time.now += 10_000;
    expectOk(await ormai.call('db_update', { model: 'Customer', id, values: { name: 'renamed 3' }, reason: REASON }, ACME));
    expect(kinds()).toEqual(['write_rate_high']);
  });

  it('audit sink failing under fail_closed: no call gets through, check() alerts once, then recovery', async () => {
    const sink = new MemoryAuditSink();
    const { ormai, alerts, kinds } = alerting(
      (middleware, clock) => shop.withPolicy(shopPolicy(), { clock, audit: { sink, flushIntervalMs: 60_000 }, middleware: [middleware] }),
      (instance) => [auditSinkDetector({ audit: { health: () => instance().audit.health() } })],
    );
    expectOk(await ormai.call('db_aggregate', { model: 'Order', op: 'count' }, ACME));
    sink.failWith = new Error('down');
    await expect(ormai.audit.flush()).rejects.toThrow();
    // Refused by the audit before any middleware runs: only the health shows it.
    expectError(await ormai.call('db_aggregate', { model: 'Order', op: 'count' }, ACME), 'audit_unavailable');
    expect(kinds()).toEqual([]);
    expect(alerts.check().map((a) => [a.kind, a.severity])).toEqual([['audit_sink_failing', 'critical']]);
    expect(alerts.check()).toEqual([]);
    sink.failWith = null;
    await ormai.audit.flush();
    expect(alerts.check().map((a) => a.kind)).toEqual(['audit_sink_recovered']);
    expect(kinds()).toEqual(['audit_sink_failing', 'audit_sink_recovered']);
  });

  it("audit trouble a call shows: a write whose record cannot be written, and records dropped when the queue is full ('continue')", async () => {
    const sink = new MemoryAuditSink();
    const { ormai, alerts, time, kinds, delivered } = alerting(
      (middleware, clock) => shop.withPolicy(writePolicy(), { clock, audit: { sink, onFailure: 'continue', flushIntervalMs: 60_000, maxQueue: 2 }, middleware: [middleware] }),
      (instance) => [auditSinkDetector({ audit: { health: () => instance().audit.health() }, cooldownMs: MINUTE })],
    );
    sink.failWith = new Error('down');
    const update = (name: string) => ormai.call('db_update', { model: 'Customer', id: shop.seeded.acmeCustomerIds[3]!, values: { name }, reason: REASON }, ACME);
    expectError(await update('not written'), 'audit_unavailable');
    expectError(await update('not written either'), 'audit_unavailable'); // within the cooldown
    expect(kinds()).toEqual(['audit_unavailable']);
    time.now += MINUTE;
    // Reads go on in 'continue'; the queue is full of the refusals' records, so theirs are dropped.
    // Each call's record is queued after the middleware saw it: the first drop shows on the second read.
    for (let i = 0; i < 4; i++) expectOk(await ormai.call('db_aggregate', { model: 'Order', op: 'count' }, ACME));
    expect(ormai.audit.health()).toMatchObject({ dropped: 4 });
    expect(delivered.map((a) => [a.kind, a.details.dropped])).toEqual([['audit_unavailable', undefined], ['audit_records_dropped', 1]]);
    expect(alerts.check()).toEqual([]); // within the cooldown
    time.now += MINUTE;
    expect(alerts.check().map((a) => [a.kind, a.details.dropped, a.details.total])).toEqual([['audit_records_dropped', 3, 4]]);
  });

  it('a detector or onAlert that throws never changes a call; the error goes to onError', async () => {
    const reported: unknown[] = [];
    const broken: AlertDetector = { name: 'broken', observe: () => { throw new Error('detector bug'); } };
    const middleware = alertMiddleware({ detectors: [broken, denialSpikeDetector({ threshold: 1 })], onAlert: () => { throw new Error('pager down'); }, onError: (e) => reported.push(e) });
    const ormai = shop.withPolicy(shopPolicy(), { middleware: [middleware] });
    expectError(await ormai.callTool('db_get', { model: 'Customer', id: 1, select: ['apiToken'] }, ACME), 'field_not_allowed');
    expect(reported).toEqual([new Error('detector bug'), new Error('pager down')]);
  });
});

describe('postgres: statement timeouts alert', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openDatabase('postgres');
    db.sequelize.define('SlowReport', { id: { type: DataTypes.INTEGER, primaryKey: true }, tenantId: { type: DataTypes.STRING(64), field: 'tenant_id' }, title: DataTypes.STRING }, { tableName: 'slow_reports', timestamps: false });
    // A read that takes a second: the server cancels it at the model's 100 ms.
    await db.sequelize.query(`CREATE VIEW slow_reports AS SELECT 1 AS id, 'acme'::varchar(64) AS tenant_id, 'q'::varchar AS title FROM (SELECT pg_sleep(1)) AS s`);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('the second timeout in the window alerts', async () => {
    const time = fakeClock();
    const delivered: Alert[] = [];
    const alerts = alertMiddleware({ detectors: [statementTimeoutDetector({ threshold: 2 })], onAlert: (a) => delivered.push(a), clock: time.read });
    const policy = definePolicy({ tenantScope: { field: 'tenantId' }, models: { SlowReport: { budgets: { statementTimeoutMs: 100 } } } });
    const ormai = createOrmAI({ adapter: sequelizeAdapter(db.sequelize), policy, secret: 's', clock: time.read, middleware: [alerts] });
    expectError(await ormai.call('db_query', { model: 'SlowReport' }, ACME), 'statement_timeout');
    expect(delivered).toEqual([]);
    time.now += MINUTE;
    expectError(await ormai.call('db_query', { model: 'SlowReport' }, ACME), 'statement_timeout');
    expect(delivered.map((a) => [a.kind, a.details.count])).toEqual([['statement_timeouts', 2]]);
  });
});
