import { afterEach, describe, expect, it } from 'vitest';
import { QueryTypes, Sequelize } from 'sequelize';
import { sequelizeApprovalStore } from '../approval-store.js';
import { sequelizeAuditSink, type SequelizeAuditSink } from './sink.js';
import { ACME, auditedOrmAI, seedOrders, statuses } from './test-support/audited-orders.js';

// In memory, Sequelize runs every statement on one shared connection: the adapter's write and dry-run
// transactions, its reads and the sink's own transactions must take turns on it.
describe('an in-memory SQLite database shared by the adapter and the SQL audit sink', () => {
  let sequelize: Sequelize;
  afterEach(() => sequelize?.close());

  const open = async (orders: number) => {
    sequelize = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false });
    const ids = await seedOrders(sequelize, 'orders', orders);
    const sink = sequelizeAuditSink(sequelize, { tablePrefix: 'audit' });
    await sink.migrate();
    const approvals = sequelizeApprovalStore(sequelize);
    await approvals.ready();
    return { ids, sink, ormai: auditedOrmAI(sequelize, { sink, flushIntervalMs: 1 }, approvals) };
  };
  const count = async (table: string) => Number((await sequelize.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${table}`, { type: QueryTypes.SELECT }))[0]!.n);
  /** Every record written is linked into the chain, none left queued, and the chain verifies. */
  const expectAllSealed = async (sink: SequelizeAuditSink, records: number) => {
    expect(await count('audit_records')).toBe(records);
    expect(await count('audit_queue')).toBe(0);
    expect(await sink.verify()).toMatchObject({ ok: true, count: records, head: { seq: records } });
  };

  it('dry runs beside reads and background seals change no data, and every call is answered', async () => {
    const { ids, sink, ormai } = await open(3);
    const before = await statuses(sequelize, 'orders');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => [
      ormai.call('db_query', { model: 'Order', limit: 1 }, ACME),
      ormai.call('db_preview_write', { operation: 'update', model: 'Order', id: ids[1]!, values: { status: `dry-${i}` } }, ACME),
    ]).flat());
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(Array(40).fill('ok'));
    await ormai.close();
    expect(await statuses(sequelize, 'orders')).toEqual(before);
    await expectAllSealed(sink, 40);
  });

  it('concurrent writes beside reads all commit exactly, each with its record', async () => {
    const { ids, sink, ormai } = await open(20);
    const results = await Promise.all(ids.flatMap((id, i) => [
      ormai.call('db_update', { model: 'Order', id, values: { status: `shipped-${i}` }, reason: 'customer asked' }, ACME),
      ormai.call('db_get', { model: 'Order', id }, ACME),
    ]));
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(Array(40).fill('ok'));
    await ormai.close();
    expect(await statuses(sequelize, 'orders')).toEqual(new Map(ids.map((id, i) => [id, `shipped-${i}`])));
    await expectAllSealed(sink, 40);
    const allowedUpdates = await sequelize.query(`SELECT id FROM audit_records WHERE action = 'db_update' AND decision = 'allowed'`, { type: QueryTypes.SELECT });
    expect(allowedUpdates).toHaveLength(20);
  });

  it('approval requests stored beside concurrent dry runs are all kept', async () => {
    const { ids, sink, ormai } = await open(10);
    const results = await Promise.all(ids.flatMap((id, i) => [
      ormai.call('db_update', { model: 'Order', id, values: { status: 'cancelled' }, reason: 'customer asked' }, ACME),
      ormai.call('db_preview_write', { operation: 'update', model: 'Order', id, values: { status: `dry-${i}` } }, ACME),
    ]));
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(ids.flatMap(() => ['approval_required', 'ok']));
    expect(await ormai.approvals.list({ status: 'pending' })).toHaveLength(10);
    await ormai.close();
    expect(await statuses(sequelize, 'orders')).toEqual(new Map(ids.map((id) => [id, 'open'])));
    await expectAllSealed(sink, 20);
  });
});
