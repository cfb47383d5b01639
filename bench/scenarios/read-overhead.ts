import { Op } from 'sequelize';
import { createOrmAI, type OrmAI, type QueryInput } from '@ormai/core';
import { KINDS, TENANTS } from '../dataset.js';
import type { BenchEnvironment } from '../environment.js';
import { interleavedInBlocks, median, ratesOf, seededRandom, spread, throughputByRound, type Contender } from '../measure.js';
import { readPolicy } from '../policies.js';
import type { Section } from '../report.js';

interface Values {
  tenant: string;
  kind: string;
}

const EVENT_FIELDS = ['id', 'kind', 'amount', 'payload', 'createdAt'];

// One tenant's 20 events of one kind (an indexed filter), oldest first, each with its notes: hand-written SQL in one statement.
const RAW_SQL = `SELECT e.id, e.kind, e.amount, e.payload, e.created_at, n.id AS note_id, n.body AS note_body
  FROM (SELECT id, tenant_id, kind, amount, payload, created_at FROM events WHERE tenant_id = $1 AND kind = $2 ORDER BY id LIMIT 20) AS e
  LEFT JOIN notes AS n ON n.tenant_id = e.tenant_id AND n.event_id = e.id ORDER BY e.id, n.id`;

function ormaiContender(name: string, ormai: OrmAI): Contender<Values> {
  return {
    name,
    run: async (v) => {
      const input: QueryInput = {
        model: 'Event',
        select: EVENT_FIELDS,
        where: { field: 'kind', op: 'eq', value: v.kind },
        orderBy: [{ field: 'id' }],
        limit: 20,
        include: [{ relation: 'notes', select: ['id', 'body'] }],
      };
      const result = await ormai.call('db_query', input, { tenantId: v.tenant, userId: 'bench' });
      if (!result.ok) throw new Error(`${name} refused: ${result.error.code}`);
      if (result.data.rows.length !== 20) throw new Error(`${name} returned ${result.data.rows.length} rows`);
    },
  };
}

function contenders(env: BenchEnvironment): Contender<Values>[] {
  const { Event, Note } = env.models;
  const findAll = (v: Values, raw: boolean) =>
    Event.findAll({
      where: { tenantId: v.tenant, kind: { [Op.eq]: v.kind } },
      attributes: EVENT_FIELDS,
      include: [{ model: Note, as: 'notes', attributes: ['id', 'body'], where: { tenantId: v.tenant }, required: false }],
      order: [['id', 'ASC']],
      limit: 20,
      ...(raw ? { raw: true, nest: true } : {}),
    });
  return [
    { name: 'raw pg', run: (v) => env.raw.query(RAW_SQL, [v.tenant, v.kind]) },
    { name: 'Sequelize findAll', run: (v) => findAll(v, false) },
    { name: 'Sequelize findAll raw', run: (v) => findAll(v, true) },
    ormaiContender(ORMAI, createOrmAI({ adapter: env.adapter(), policy: readPolicy, secret: 'bench' })),
    ormaiContender(ORMAI_PER_VALUE, createOrmAI({ adapter: env.adapter({ genericPlans: false }), policy: readPolicy, secret: 'bench' })),
  ];
}

export const ORMAI = 'OrmAI db_query (PROD)';
const ORMAI_PER_VALUE = 'OrmAI db_query (PROD, genericPlans: false)';
const BLOCKS = 3;
// Shorter rounds, more of them: each contender's rounds spread over the whole run (the machine's load drifts).
const ROUNDS = 12;

const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;

/** Read overhead: the same logical query four ways, one caller (varied and repeated values) and 16 callers. */
export async function readOverhead(env: BenchEnvironment): Promise<Section> {
  const list = contenders(env);
  const random = seededRandom(11);
  const varied = (): Values => ({ tenant: `t${Math.floor(random() * TENANTS)}`, kind: `k${Math.floor(random() * KINDS)}` });
  const repeated = (): Values => ({ tenant: 't3', kind: 'k3' });
  const iterations = Math.round(1_500 * env.scale);
  const warmup = Math.round(200 * env.scale);
  const one = await interleavedInBlocks(list, varied, { iterations, warmup, blocks: BLOCKS });
  const same = (await interleavedInBlocks(list, repeated, { iterations, warmup, blocks: 1 })).all;
  const rounds = await throughputByRound(list, varied, { callers: 16, rounds: ROUNDS, callsPerRound: Math.round(750 * env.scale) });
  const perSecond = ratesOf(rounds);
  // Each round against findAll's in the same round (the two ran back to back): the median of those is the ratio,
  // so a burst of load on the machine during one round does not decide it.
  const roundRatios = (name: string) => rounds.map((round) => ratesOf([round])[name]! / ratesOf([round])['Sequelize findAll']!);
  const roundsPerBlock = ROUNDS / BLOCKS;
  const rateRatios = (name: string) => Array.from({ length: BLOCKS }, (_, b) => median(roundRatios(name).slice(b * roundsPerBlock, (b + 1) * roundsPerBlock)));
  const p50Ratios = (name: string, base: string) => one.blocks.map((block) => block[name]!.p50us / block[base]!.p50us);
  const rows = list.map(({ name }) => ({
    contender: name,
    p50us: one.all[name]!.p50us,
    p99us: one.all[name]!.p99us,
    'p50 vs findAll': ratio(one.all[name]!.p50us, one.all['Sequelize findAll']!.p50us),
    'p50 vs raw pg': ratio(one.all[name]!.p50us, one.all['raw pg']!.p50us),
    'repeated p50us': same[name]!.p50us,
    'repeated vs findAll': ratio(same[name]!.p50us, same['Sequelize findAll']!.p50us),
    'calls/s (16 callers)': perSecond[name]!,
    'throughput vs findAll': Number(median(roundRatios(name)).toFixed(2)),
    'spread of p50 vs findAll (blocks)': percent(spread(p50Ratios(name, 'Sequelize findAll'))),
    'spread of p50 vs raw pg (blocks)': percent(spread(p50Ratios(name, 'raw pg'))),
    'spread of throughput vs findAll (blocks)': percent(spread(rateRatios(name))),
  }));
  return {
    id: 'readOverhead',
    title: 'Read overhead (1M events, 50 tenants x 500 kinds, 20 rows + their notes)',
    notes: [
      `One caller: ${iterations} interleaved iterations after ${warmup} of warm-up; values drawn at random per iteration (same values for every contender), and again with one repeated query.`,
      `16 callers: ${ROUNDS} alternating rounds of ${Math.round(750 * env.scale)} calls per contender (order reversed every other round), values drawn at random. calls/s: over all rounds; throughput vs findAll: the median over rounds of the contender's rate against findAll's in the same round.`,
      'raw pg: one hand-written statement joining the notes. findAll: one statement (subquery + join). OrmAI: the root select, then one statement for the notes of the whole page; by default each runs its generic plan, its scan estimate made once per statement text. genericPlans: false: the plan for the values, explained per new values (the previous default).',
      `Spread: (largest - smallest) / median of the same ratio measured ${BLOCKS} times within this run, as if the scenario ran ${BLOCKS} times: the one-caller iterations cut into ${BLOCKS} consecutive blocks, the 16-caller rounds into ${BLOCKS} consecutive groups of ${ROUNDS / BLOCKS}.`,
    ],
    rows,
  };
}
