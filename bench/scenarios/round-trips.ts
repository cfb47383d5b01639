import { createOrmAI, type QueryInput } from '@ormai/core';
import { sequelizeAdapter, type SequelizeAdapterOptions } from '@ormai/sequelize';
import { KINDS, TENANTS } from '../dataset.js';
import { recordStatements } from '../../test/support/pg-rows-read.js';
import type { BenchEnvironment } from '../environment.js';
import { seededRandom } from '../measure.js';
import { readPolicy } from '../policies.js';
import type { Section } from '../report.js';

// The statements that are the query itself: the root select of events and the select of the page's notes.
const isQueryItself = (sql: string) => /^SELECT .* FROM "(events|notes)" AS t WHERE/.test(sql) || /^SELECT \* FROM \(SELECT .* FROM "notes" AS t/.test(sql);

/** What an extra statement is, for the table: its first words, without identifiers or values. */
function kindOf(sql: string): string {
  if (/^EXPLAIN/.test(sql)) return 'EXPLAIN';
  if (/PREPARE/.test(sql)) return 'plan probe';
  if (/^SET plan_cache_mode/.test(sql)) return 'plan mode switch';
  if (/pg_class|pg_index|pg_stats/.test(sql)) return 'statistics';
  return sql.split(/\s+/).slice(0, 2).join(' ');
}

/** The adapters compared: the default, and the two `genericPlans` settings that turn one of its plans off. */
const ADAPTERS: Array<{ name: string; options: SequelizeAdapterOptions }> = [
  { name: 'default (generic plans, per-value fallback)', options: {} },
  { name: 'genericPlans: false (per-value plans)', options: { genericPlans: false } },
  { name: 'genericPlans: true (generic plans only)', options: { genericPlans: true } },
];

/**
 * Round trips per db_query call beyond the query itself, counted at the pg client (every statement any
 * client sends), for a cold adapter (first call on the tables), then steady state with varied and repeated
 * values, and for a statement whose generic plan is over the budget.
 */
export async function roundTrips(env: BenchEnvironment): Promise<Section> {
  const rows: Section['rows'] = [];
  for (const adapter of ADAPTERS) await countFor(env, adapter, rows);
  return {
    id: 'roundTrips',
    title: 'Round trips per db_query call beyond the query itself (20 events + notes: 2 statements)',
    notes: [
      'Counted at the pg client: every statement sent, on any connection (wrapping pg.Client.prototype.query), the read pool\'s plan mode switches included. Sequential calls on one warm read connection.',
      'default: each statement runs its generic plan when that plan\'s scan estimate fits the budget (estimated once per statement text, kept 10 s), else the plan for its values (EXPLAIN with the values on every call). genericPlans: false explains every call; genericPlans: true refuses what the generic plan does not fit.',
      'generic plan over budget: one tenant\'s latest events (1 to 50 of them), no filter (the generic plan walks the primary key filtering on the tenant: unbounded for the guard), as tenant big, which has no events: its own plan reads the tenant\'s index.',
      'The cost of one extra round trip on this machine is roughly the gap between the varied and repeated p50 of the per-value contender in the read-overhead table.',
    ],
    rows,
  };
}

async function countFor(env: BenchEnvironment, adapter: (typeof ADAPTERS)[number], rows: Section['rows']) {
  // A fresh adapter, not the run's shared one: the cold case needs empty caches (sequential calls: one read connection).
  const ormai = createOrmAI({ adapter: sequelizeAdapter(env.sequelize, adapter.options), policy: readPolicy, secret: 'bench' });
  const random = seededRandom(23);
  const page = (kind: string): QueryInput => ({
    model: 'Event',
    select: ['id', 'kind', 'payload'],
    where: { field: 'kind', op: 'eq', value: kind },
    orderBy: [{ field: 'id' }],
    limit: 20,
    include: [{ relation: 'notes', select: ['id', 'body'] }],
  });
  // New values every call: the LIMIT is a bound value too.
  const latest = (): QueryInput => ({ model: 'Event', select: ['id', 'kind'], orderBy: [{ field: 'id' }], limit: 1 + Math.floor(random() * 50) });
  const call = async (input: QueryInput, tenant: string) => {
    const result = await ormai.call('db_query', input, { tenantId: tenant, userId: 'bench' });
    return result.ok ? 'served' : result.error.code;
  };
  // Open the read connection first (on another table), so the cold call counts the guard's work, not the connection's setup.
  await ormai.call('db_query', { model: 'SkewedEvent', limit: 1 }, { tenantId: 't1', userId: 'bench' });
  const counter = recordStatements();
  try {
    const measure = async (label: string, calls: number, next: () => [QueryInput, string]) => {
      counter.take();
      const answers = new Map<string, number>();
      for (let i = 0; i < calls; i++) {
        const answer = await call(...next());
        answers.set(answer, (answers.get(answer) ?? 0) + 1);
      }
      const sent = counter.take().map((s) => s.text);
      const extras = sent.filter((sql) => !isQueryItself(sql));
      const kinds = new Map<string, number>();
      for (const sql of extras) kinds.set(kindOf(sql), (kinds.get(kindOf(sql)) ?? 0) + 1);
      const perCall = (n: number) => Number((n / calls).toFixed(2));
      rows.push({
        adapter: adapter.name,
        case: label,
        calls,
        answers: [...answers].map(([answer, n]) => `${answer} ${n}`).join(', '),
        'statements per call': perCall(sent.length),
        'extra round trips per call': perCall(extras.length),
        'extras by kind': [...kinds].map(([k, n]) => `${k} ${perCall(n)}`).join(', ') || 'none',
      });
    };
    const varied = (): [QueryInput, string] => [page(`k${Math.floor(random() * KINDS)}`), `t${Math.floor(random() * TENANTS)}`];
    const calls = Math.round(300 * env.scale);
    await measure('cold: first call on the tables', 1, () => [page('k1'), 't1']);
    await measure('varied values (steady state)', calls, varied);
    await measure('one repeated query', calls, () => [page('k3'), 't3']);
    await measure('generic plan over budget (new values each call)', calls, () => [latest(), 'big']);
    // Alternating with the page above: a connection switched to per-value plans is switched back (a round trip each way).
    let turn = 0;
    await measure('the same, alternating with varied pages', calls, () => (turn++ % 2 ? varied() : [latest(), 'big']));
  } finally {
    counter.stop();
  }
}
