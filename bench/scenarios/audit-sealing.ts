import type { AuditRecord } from '@ormai/core';
import type { SequelizeAuditSink } from '@ormai/sequelize';
import type { BenchEnvironment } from '../environment.js';
import type { Section } from '../report.js';
import { assertChain, auditSink, describeChain, openInstance, perSecond, resetAuditTables, syntheticRecord } from './audit-support.js';

/** Records per write: the audit queue's default batch. */
const BATCH = 200;
/** Concurrent writers per instance (several requests flushing at once). */
const WRITERS = 4;

/** Writes `records` in batches from WRITERS concurrent writers; each write is the sink's own transaction. */
async function writeAll(sink: SequelizeAuditSink, records: AuditRecord[]): Promise<void> {
  const batches = Array.from({ length: Math.ceil(records.length / BATCH) }, (_, i) => records.slice(i * BATCH, (i + 1) * BATCH));
  let next = 0;
  await Promise.all(Array.from({ length: WRITERS }, async () => {
    while (next < batches.length) await sink.write(batches[next++]!);
  }));
}

/** Each instance's share of the records. */
const shares = (records: AuditRecord[], instances: number) => Array.from({ length: instances }, (_, i) => records.filter((_, n) => n % instances === i));

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

/** Runs `fn` with `instances` sinks, each on its own Sequelize instance (own pool), on freshly created tables. */
async function withInstances<T>(env: BenchEnvironment, instances: number, autoSeal: boolean, fn: (sinks: SequelizeAuditSink[]) => Promise<T>): Promise<T> {
  await resetAuditTables(env.sequelize);
  const sequelizes = Array.from({ length: instances }, () => openInstance(env.url));
  try {
    return await fn(sequelizes.map((sequelize) => auditSink(sequelize, { autoSeal })));
  } finally {
    for (const sequelize of sequelizes) await sequelize.close();
  }
}

async function verified(sink: SequelizeAuditSink, what: string, expected: number) {
  const { value: result, ms } = await timed(() => sink.verify());
  assertChain(what, result, expected);
  return { chain: describeChain(result), 'verify s': Number((ms / 1000).toFixed(1)) };
}

/**
 * Sealing throughput: records inserted with autoSeal off, then sealed (the hash chain linked) by 1 sink
 * or by 3 sinks of 3 Sequelize instances at once; and insert + seal end to end with autoSeal on, 1 and 3
 * instances writing and sealing concurrently. Every run ends with the chain verified.
 */
export async function auditSealing(env: BenchEnvironment): Promise<Section> {
  const total = Math.round(50_000 * env.scale);
  const rows: Section['rows'] = [];
  const row = (what: string, instances: number, ms: number, extra: { chain: string; 'verify s': number | string }) =>
    rows.push({ case: what, instances, records: total, seconds: Number((ms / 1000).toFixed(2)), 'records/s': perSecond(total, ms), ...extra });

  for (const instances of [1, 3]) {
    const parts = shares(Array.from({ length: total }, (_, n) => syntheticRecord(n)), instances);
    await withInstances(env, instances, false, async (sinks) => {
      const insert = await timed(() => Promise.all(sinks.map((sink, i) => writeAll(sink, parts[i]!))));
      row('insert only (autoSeal off)', instances, insert.ms, { chain: 'not sealed yet', 'verify s': '' });
      const seal = await timed(() => Promise.all(sinks.map((sink) => sink.sealAll())));
      const sealed = seal.value.reduce((a, b) => a + b, 0);
      if (sealed !== total) throw new Error(`sealed ${sealed} of ${total} records`);
      row(instances === 1 ? 'seal alone (pre-written)' : 'seal alone (pre-written), 3 sealers at once', instances, seal.ms, await verified(sinks[0]!, 'seal alone', total));
    });
  }
  for (const instances of [1, 3]) {
    const parts = shares(Array.from({ length: total }, (_, n) => syntheticRecord(n)), instances);
    await withInstances(env, instances, true, async (sinks) => {
      const run = await timed(async () => {
        await Promise.all(sinks.map((sink, i) => writeAll(sink, parts[i]!)));
        await Promise.all(sinks.map((sink) => sink.close()));
      });
      row('insert + seal end to end (autoSeal on)', instances, run.ms, await verified(sinks[0]!, 'insert + seal', total));
    });
  }
  return {
    id: 'auditSealing',
    title: `Audit sealing: ${total} records into the SQL sink's hash chain (PostgreSQL)`,
    notes: [
      `Synthetic db_query records (sanitized input of ~300 bytes), written in batches of ${BATCH} (the queue's default) by ${WRITERS} concurrent writers per instance, each batch in the sink's own transaction.`,
      'Instances: one Sequelize instance (pool of 5) and one sink each, on the same tables; sealers of all instances take turns under the chain\'s advisory lock, 500 queued records per seal transaction.',
      'seal alone: records inserted with autoSeal off first, then timed from sealAll() to the last link. end to end: autoSeal on, timed from the first write to close() (every record sealed).',
      'verify s: time of sink.verify() over the whole chain (reads every record and link); a broken chain fails the benchmark.',
    ],
    rows,
  };
}
