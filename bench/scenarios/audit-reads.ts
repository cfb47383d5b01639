import { createOrmAI, MemoryAuditSink, type AuditSink, type ChainVerification, type OrmAI, type QueryInput } from '@ormai/core';
import { KINDS, TENANTS } from '../dataset.js';
import type { BenchEnvironment } from '../environment.js';
import { interleaved, seededRandom, throughput, type Contender } from '../measure.js';
import { readPolicy } from '../policies.js';
import type { Section } from '../report.js';
import { assertChain, auditSink, describeChain, resetAuditTables } from './audit-support.js';

interface Values {
  tenant: string;
  kind: string;
}

/** One OrmAI instance under test: its audit sink (none: audit off) and the calls it answered, to check one record per call. */
interface Audited extends Contender<Values> {
  ormai: OrmAI;
  verify: (() => Promise<ChainVerification> | ChainVerification) | null;
  calls: number;
}

// The read-overhead scenario's query: one tenant's 20 events of one kind, oldest first, with their notes.
const input = (kind: string): QueryInput => ({
  model: 'Event',
  select: ['id', 'kind', 'amount', 'payload', 'createdAt'],
  where: { field: 'kind', op: 'eq', value: kind },
  orderBy: [{ field: 'id' }],
  limit: 20,
  include: [{ relation: 'notes', select: ['id', 'body'] }],
});

function audited(env: BenchEnvironment, name: string, sink: AuditSink | null): Audited {
  const ormai = createOrmAI({
    adapter: env.adapter(),
    policy: readPolicy,
    secret: 'bench',
    ...(sink ? { audit: { sink } } : {}),
  });
  const contender: Audited = {
    name,
    ormai,
    verify: sink?.verify ? () => sink.verify!() : null,
    calls: 0,
    run: async (v) => {
      contender.calls += 1;
      const result = await ormai.call('db_query', input(v.kind), { tenantId: v.tenant, userId: 'bench' });
      if (!result.ok) throw new Error(`${name} refused: ${result.error.code}`);
      if (result.data.rows.length !== 20) throw new Error(`${name} returned ${result.data.rows.length} rows`);
    },
  };
  return contender;
}

const OFF = 'audit off';
const SQL = 'SQL sink';

const ratio = (a: number, b: number) => Number((a / b).toFixed(3));

/**
 * Read overhead of the audit trail: PROD db_query with audit off, with the SQL sink (default batch and
 * flush interval, autoSeal on) and with the in-memory sink, interleaved per iteration, random values;
 * then 16 callers. Each audited instance must leave one record per call in a chain that verifies.
 */
export async function auditReads(env: BenchEnvironment): Promise<Section> {
  await resetAuditTables(env.sequelize);
  const list = [
    audited(env, OFF, null),
    audited(env, SQL, auditSink(env.sequelize, { chain: 'reads' })),
    // Sealed only at close(): tells the cost of inserting records from the cost of sealing them as they come.
    audited(env, 'SQL sink, autoSeal off', auditSink(env.sequelize, { chain: 'reads-unsealed', autoSeal: false })),
    audited(env, 'memory sink', new MemoryAuditSink()),
  ];
  const random = seededRandom(53);
  const varied = (): Values => ({ tenant: `t${Math.floor(random() * TENANTS)}`, kind: `k${Math.floor(random() * KINDS)}` });
  const iterations = Math.round(1_500 * env.scale);
  const warmup = Math.round(200 * env.scale);
  const one = await interleaved(list, varied, { iterations, warmup });
  const perSecond = await throughput(list, varied, { callers: 16, rounds: 6, callsPerRound: Math.round(1_500 * env.scale) });

  const chains = new Map<string, string>();
  for (const c of list) {
    await c.ormai.close();
    if (!c.verify) continue;
    const result = await c.verify();
    assertChain(c.name, result, c.calls);
    chains.set(c.name, describeChain(result));
  }
  return {
    id: 'auditReads',
    title: 'Audit read overhead: PROD db_query (20 events + their notes) with and without the audit trail',
    notes: [
      `One caller: ${iterations} interleaved iterations after ${warmup} of warm-up, values drawn at random per iteration (same values for every contender). 16 callers: 6 alternating rounds per contender.`,
      'SQL sink: sequelizeAuditSink on the bench database (same Sequelize instance as the app), default batch (200) and flush interval (250 ms), autoSeal on; autoSeal off: records inserted the same way, sealed only at close(). memory sink: MemoryAuditSink (record build + in-process chain, every record kept in memory).',
      'The per-call cost an audited read pays is building its record (sanitize, HMAC of the raw input, payload digest) and queueing it; the flush and seal run in the background and load the machine for every contender alike.',
      'The default adapter (generic plans: no EXPLAIN per call). records: each audited chain verified after close(), holding exactly one record per call.',
    ],
    rows: list.map(({ name }) => ({
      contender: name,
      p50us: one[name]!.p50us,
      p99us: one[name]!.p99us,
      'p50 vs audit off': ratio(one[name]!.p50us, one[OFF]!.p50us),
      'p99 vs audit off': ratio(one[name]!.p99us, one[OFF]!.p99us),
      'calls/s (16 callers)': perSecond[name]!,
      'throughput vs audit off': ratio(perSecond[name]!, perSecond[OFF]!),
      records: chains.get(name) ?? 'none (audit off)',
    })),
  };
}
