import { createOrmAI, type QueryInput } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { KINDS, TENANTS } from '../dataset.js';
import { countStatements, type BenchEnvironment } from '../environment.js';
import { seededRandom } from '../measure.js';
import { readPolicy } from '../policies.js';
import type { Section } from '../report.js';

// The statements that are the query itself: the root select of events and the select of the page's notes.
const isQueryItself = (sql: string) => /^SELECT .* FROM "(events|notes)" AS t WHERE/.test(sql) || /^SELECT \* FROM \(SELECT .* FROM "notes" AS t/.test(sql);

/** What an extra statement is, for the table: its first words, without identifiers or values. */
function kindOf(sql: string): string {
  if (/^EXPLAIN/.test(sql)) return 'EXPLAIN';
  if (/^PREPARE/.test(sql)) return 'plan probe';
  if (/pg_class|pg_index|pg_stats/.test(sql)) return 'statistics';
  return sql.split(/\s+/).slice(0, 2).join(' ');
}

/**
 * Round trips per db_query call beyond the query itself, counted at the pg client (every statement any
 * client sends), for a cold adapter (first call on the tables), then steady state with varied and repeated values.
 */
export async function roundTrips(env: BenchEnvironment): Promise<Section> {
  const rows: Section['rows'] = [];
  for (const genericPlans of [false, true]) {
    await countFor(env, genericPlans, rows);
  }
  return {
    id: 'roundTrips',
    title: 'Round trips per db_query call beyond the query itself (20 events + notes: 2 statements)',
    notes: [
      'Counted at the pg client: every statement sent, on any connection (wrapping pg.Client.prototype.query). Sequential calls on one warm read connection.',
      'genericPlans: the adapter option running reads on generic plans, the scan estimate made once per statement text (plan probe) and kept 10 s.',
      'The cost of one extra round trip on this machine is roughly the gap between the varied and repeated p50 in the read-overhead table.',
    ],
    rows,
  };
}

async function countFor(env: BenchEnvironment, genericPlans: boolean, rows: Section['rows']) {
  const ormai = createOrmAI({ adapter: sequelizeAdapter(env.sequelize, { genericPlans }), policy: readPolicy, secret: 'bench' });
  const random = seededRandom(23);
  const input = (kind: string): QueryInput => ({
    model: 'Event',
    select: ['id', 'kind', 'payload'],
    where: { field: 'kind', op: 'eq', value: kind },
    orderBy: [{ field: 'id' }],
    limit: 20,
    include: [{ relation: 'notes', select: ['id', 'body'] }],
  });
  const call = async (tenant: string, kind: string) => {
    const result = await ormai.call('db_query', input(kind), { tenantId: tenant, userId: 'bench' });
    if (!result.ok) throw new Error(`db_query refused: ${result.error.code}`);
  };
  // Open the read connection first (on another table), so the cold call counts the guard's work, not the connection's setup.
  await ormai.call('db_query', { model: 'SkewedEvent', limit: 1 }, { tenantId: 't1', userId: 'bench' });
  const counter = countStatements();
  try {
    const measure = async (label: string, calls: number, draw: () => [string, string]) => {
      counter.take();
      for (let i = 0; i < calls; i++) await call(...draw());
      const sent = counter.take();
      const extras = sent.filter((sql) => !isQueryItself(sql));
      const kinds = new Map<string, number>();
      for (const sql of extras) kinds.set(kindOf(sql), (kinds.get(kindOf(sql)) ?? 0) + 1);
      rows.push({
        adapter: genericPlans ? 'genericPlans' : 'default',
        case: label,
        calls,
        'statements per call': Number((sent.length / calls).toFixed(2)),
        'extra round trips per call': Number((extras.length / calls).toFixed(2)),
        'extras by kind': [...kinds].map(([k, n]) => `${k} ${Number((n / calls).toFixed(2))}`).join(', ') || 'none',
      });
    };
    const varied = (): [string, string] => [`t${Math.floor(random() * TENANTS)}`, `k${Math.floor(random() * KINDS)}`];
    await measure('cold: first call on the tables', 1, () => ['t1', 'k1']);
    await measure('varied values (steady state)', Math.round(300 * env.scale), varied);
    await measure('one repeated query', Math.round(300 * env.scale), () => ['t3', 'k3']);
  } finally {
    counter.stop();
  }
}
