import { createOrmAI, MemoryAuditSink, type AuditSink, type ChainVerification } from '@ormai/core';
import { ACCOUNTS_PER_TENANT, TENANTS } from '../dataset.js';
import type { BenchEnvironment } from '../environment.js';
import { interleaved, seededRandom, type Contender } from '../measure.js';
import { writePolicy } from '../policies.js';
import type { Section } from '../report.js';
import { statementsPerCall } from '../statements.js';
import { assertChain, auditSink, describeChain, resetAuditTables } from './audit-support.js';

type Values = { id: number; tenant: string; balance: number };

const OFF = 'db_update, audit off';
const SEQUELIZE = 'Sequelize update in a transaction';

/**
 * Write overhead of the audit trail: PROD db_update (reason, rate limit) with audit off, with the SQL
 * sink (the record inserted inside the write's transaction, sealed after commit) and with the in-memory
 * sink, interleaved on the same random account.
 */
export async function auditWrites(env: BenchEnvironment): Promise<Section> {
  await resetAuditTables(env.sequelize);
  const instances: Array<Contender<Values> & { close(): Promise<void>; verify: (() => Promise<ChainVerification> | ChainVerification) | null; calls: number }> = [];
  const add = (name: string, sink: AuditSink | null) => {
    const ormai = createOrmAI({ adapter: env.adapter(), policy: writePolicy, secret: 'bench', ...(sink ? { audit: { sink } } : {}) });
    const contender = {
      name,
      calls: 0,
      close: () => ormai.close(),
      verify: sink?.verify ? () => sink.verify!() : null,
      run: async (v: Values) => {
        contender.calls += 1;
        const result = await ormai.call('db_update', { model: 'Account', id: v.id, values: { balance: v.balance }, reason: 'benchmark: adjust the balance' }, { tenantId: v.tenant, userId: 'bench' });
        if (!result.ok) throw new Error(`${name} refused: ${result.error.code}`);
      },
    };
    instances.push(contender);
  };
  instances.push({
    name: SEQUELIZE,
    calls: 0,
    close: async () => undefined,
    verify: null,
    run: (v) => env.sequelize.transaction((transaction) => env.models.Account.update({ balance: v.balance }, { where: { id: v.id, tenantId: v.tenant }, transaction })),
  });
  add(OFF, null);
  add('db_update, SQL sink (record in the write transaction)', auditSink(env.sequelize, { chain: 'writes' }));
  add('db_update, SQL sink, autoSeal off', auditSink(env.sequelize, { chain: 'writes-unsealed', autoSeal: false }));
  add('db_update, memory sink', new MemoryAuditSink());

  const random = seededRandom(59);
  // Account ids run from 1; account id n belongs to tenant t((n - 1) % TENANTS).
  const draw = (): Values => {
    const id = 1 + Math.floor(random() * TENANTS * ACCOUNTS_PER_TENANT);
    return { id, tenant: `t${(id - 1) % TENANTS}`, balance: Math.floor(random() * 1_000_000) };
  };
  const iterations = Math.round(600 * env.scale);
  const warmup = Math.round(50 * env.scale);
  const stats = await interleaved(instances, draw, { iterations, warmup });
  const trips = await statementsPerCall(instances, draw);

  const chains = new Map<string, string>();
  for (const c of instances) {
    await c.close();
    if (!c.verify) continue;
    const result = await c.verify();
    assertChain(c.name, result, c.calls);
    chains.set(c.name, describeChain(result));
  }
  const base = stats[OFF]!.p50us;
  return {
    id: 'auditWrites',
    title: 'Audit write overhead: PROD db_update of one account by id',
    notes: [
      `${iterations} interleaved iterations after ${warmup} of warm-up, the same random account for every contender.`,
      'SQL sink: the record (record row + queue row) is inserted inside the write\'s transaction, so it commits or rolls back with the write; sealing runs after commit, in the background (autoSeal off: only at close(), to tell the cost of the insert from the cost of the seal). memory sink: written at once (it cannot join the transaction).',
      'records: each audited chain verified after close(), holding exactly one record per call. statements per call: everything sent to PostgreSQL during 50 more calls each, counted at the pg client: the write\'s own transaction, and with autoSeal on the background seal transactions that ran meanwhile (one per write at this pace: sealing runs after each commit, off the call\'s path).',
    ],
    rows: Object.entries(stats).map(([contender, s]) => ({
      contender,
      p50us: s.p50us,
      p99us: s.p99us,
      'p50 vs audit off': Number((s.p50us / base).toFixed(3)),
      'p50 vs Sequelize': Number((s.p50us / stats[SEQUELIZE]!.p50us).toFixed(2)),
      'statements per call': trips[contender]!,
      records: chains.get(contender) ?? (contender === SEQUELIZE ? 'none (not OrmAI)' : 'none (audit off)'),
    })),
  };
}
