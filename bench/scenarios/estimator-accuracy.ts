import pg from 'pg';
import { createOrmAI, definePolicy, DEFAULT_PROD, type ToolName } from '@ormai/core';
// The estimator and the introspection are internals of @ormai/sequelize: measured here directly, from source.
import { pgScanEstimator } from '../../packages/sequelize/src/scan/pg-scan-estimator.js';
import { introspect } from '../../packages/sequelize/src/introspect.js';
import { measureRowsRead, recordStatements } from '../../test/support/pg-rows-read.js';
import { SCHEMA } from '../dataset.js';
import type { BenchEnvironment } from '../environment.js';
import type { Section } from '../report.js';
import { sqliteEstimatorAccuracy } from './estimator-accuracy-sqlite.js';

export interface Shape {
  name: string;
  tool: ToolName;
  input: Record<string, unknown>;
}

export const SHAPES: Shape[] = [
  { name: 'tenant + kind (indexed), LIMIT 20', tool: 'db_query', input: { model: 'Event', where: { field: 'kind', op: 'eq', value: 'k7' }, orderBy: [{ field: 'id' }], limit: 20 } },
  { name: 'tenant only, id order, LIMIT 20', tool: 'db_query', input: { model: 'Event', orderBy: [{ field: 'id' }], limit: 20 } },
  { name: 'tenant only, unindexed order', tool: 'db_query', input: { model: 'Event', orderBy: [{ field: 'payload' }], limit: 20 } },
  { name: 'kind IN (3 values), LIMIT 50', tool: 'db_query', input: { model: 'Event', where: { field: 'kind', op: 'in', value: ['k1', 'k2', 'k3'] }, limit: 50 } },
  { name: 'unindexed filter (amount > x), id order, LIMIT 20', tool: 'db_query', input: { model: 'Event', where: { field: 'amount', op: 'gt', value: 9990 }, orderBy: [{ field: 'id' }], limit: 20 } },
  { name: 'date range, LIMIT 20', tool: 'db_query', input: { model: 'Event', where: { field: 'createdAt', op: 'between', value: ['2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z'] }, limit: 20 } },
  { name: 'payload starts_with, LIMIT 20', tool: 'db_query', input: { model: 'Event', where: { field: 'payload', op: 'starts_with', value: 'ab' }, limit: 20 } },
  { name: 'db_get by id', tool: 'db_get', input: { model: 'Event', id: 1007 } },
  { name: 'count where kind', tool: 'db_aggregate', input: { model: 'Event', op: 'count', where: { field: 'kind', op: 'eq', value: 'k7' } } },
  { name: 'count group by kind', tool: 'db_aggregate', input: { model: 'Event', op: 'count', groupBy: ['kind'] } },
  { name: 'sum amount where kind IN', tool: 'db_aggregate', input: { model: 'Event', op: 'sum', field: 'amount', where: { field: 'kind', op: 'in', value: ['k1', 'k2'] } } },
  { name: '20 events + notes (FK indexed)', tool: 'db_query', input: { model: 'Event', where: { field: 'kind', op: 'eq', value: 'k7' }, limit: 20, include: [{ relation: 'notes' }] } },
  { name: '20 events + tags (FK not indexed)', tool: 'db_query', input: { model: 'Event', where: { field: 'kind', op: 'eq', value: 'k7' }, limit: 20, include: [{ relation: 'tags' }] } },
  { name: 'one event + notes filtered', tool: 'db_query', input: { model: 'Event', where: { field: 'id', op: 'eq', value: 1007 }, include: [{ relation: 'notes', where: { field: 'body', op: 'starts_with', value: 'note' } }] } },
  { name: 'skewed: status = done, id order, LIMIT 20', tool: 'db_query', input: { model: 'SkewedEvent', where: { field: 'status', op: 'eq', value: 'done' }, orderBy: [{ field: 'id' }], limit: 20 } },
  { name: 'skewed: count status = open', tool: 'db_aggregate', input: { model: 'SkewedEvent', op: 'count', where: { field: 'status', op: 'eq', value: 'open' } } },
  { name: 'skewed: tenant only, id order, LIMIT 20', tool: 'db_query', input: { model: 'SkewedEvent', orderBy: [{ field: 'id' }], limit: 20 } },
];

// The tenants each shape runs as: the largest (the skewed table's 'big', absent from the others) and an ordinary one.
export const TENANTS = ['big', 't7'];

// The PROD profile's scan budget: which plan the default adapter would run, or whether it refuses.
const BUDGET = DEFAULT_PROD.budgets.maxScanRows;

const TABLE_MODEL: Record<string, string> = { events: 'Event', notes: 'Note', tags: 'Tag', skewed_events: 'SkewedEvent' };

/** An estimate next to the rows its plan read: under is a security bug; over 10x (and over 1,000 rows), a likely false refusal. */
function judge(estimate: number, read: number): string | null {
  if (estimate < read) return 'UNDER-ESTIMATE (security bug)';
  return estimate > 10 * Math.max(read, 100) ? 'large over-estimate' : null;
}

/**
 * Estimator accuracy (PostgreSQL): for each shape, every statement OrmAI runs, the scan estimate of its
 * generic plan and of the plan for its values (neither depends on the values beyond the plan chosen),
 * next to the rows each plan really read (EXPLAIN ANALYZE of that plan), as each tenant; which plan the
 * default adapter runs under the PROD budget. SQLite follows in its own section.
 */
export async function estimatorAccuracy(env: BenchEnvironment): Promise<Section[]> {
  return [await pgEstimatorAccuracy(env), await sqliteEstimatorAccuracy()];
}

async function pgEstimatorAccuracy(env: BenchEnvironment): Promise<Section> {
  const policy = definePolicy({
    profile: DEFAULT_PROD,
    tenantScope: { field: 'tenantId' },
    budgets: { maxScanRows: 1e12, maxRows: 50 },
    models: { Event: { relations: ['notes', 'tags'] }, Note: {}, Tag: {}, SkewedEvent: {} },
  });
  // Per-value plans: the statements are the same texts whichever plan runs them.
  const ormai = createOrmAI({ adapter: env.adapter({ genericPlans: false }), policy, secret: 'bench' });
  const { tables } = introspect(env.sequelize);
  const client = new pg.Client({ connectionString: env.url, options: `-c search_path=${SCHEMA}` });
  await client.connect();
  const session = {
    all: async (sql: string, params: unknown[]) => {
      const result = (await client.query(sql, params)) as unknown as pg.QueryResult | pg.QueryResult[];
      return Array.isArray(result) ? result.flatMap((r) => r.rows) : result.rows;
    },
  };
  const estimator = pgScanEstimator();
  const rows: Section['rows'] = [];
  try {
    for (const shape of SHAPES) {
      for (const tenant of TENANTS) {
        const recorder = recordStatements();
        let result;
        try {
          result = await ormai.callTool(shape.tool, shape.input, { tenantId: tenant, userId: 'bench' });
        } finally {
          recorder.stop();
        }
        if (!result.ok && result.error.code !== 'not_found') throw new Error(`${shape.name}: ${result.error.code}`);
        for (const statement of recorder.take().filter((s) => /^SELECT .* FROM "\w+" AS t WHERE/.test(s.text))) {
          const table = /FROM "(\w+)" AS t WHERE/.exec(statement.text)![1]!;
          const meta = tables[TABLE_MODEL[table]!]!;
          const compiled = { sql: statement.text, params: statement.values, model: meta.model };
          const stats = await estimator.table(session, meta);
          const generic = await estimator.generic(session, compiled, meta, stats);
          const forValues = await estimator.forValues(session, compiled, meta, stats);
          const genericRead = await measureRowsRead(client, { ...statement, generic: true });
          const valuesRead = await measureRowsRead(client, { ...statement, generic: false });
          const runs = generic <= BUDGET ? 'generic' : forValues <= BUDGET ? 'per-value' : 'refused';
          const ran = runs === 'generic' ? [generic, genericRead] : [forValues, valuesRead];
          const verdict =
            (judge(generic, genericRead) === 'UNDER-ESTIMATE (security bug)' || judge(forValues, valuesRead) === 'UNDER-ESTIMATE (security bug)'
              ? 'UNDER-ESTIMATE (security bug)'
              : runs === 'refused'
                ? Math.min(genericRead, valuesRead) <= BUDGET
                  ? 'false refusal'
                  : 'refused, reads over budget'
                : judge(ran[0]!, ran[1]!)) ?? 'ok';
          rows.push({
            shape: shape.name,
            tenant,
            table,
            'generic estimate': generic,
            'generic read': genericRead,
            'per-value estimate': forValues,
            'per-value read': valuesRead,
            'default runs': runs,
            verdict,
          });
        }
      }
    }
  } finally {
    await client.end();
  }
  return {
    id: 'estimatorAccuracy',
    title: 'Estimator accuracy (PostgreSQL): generic and per-value plans',
    notes: [
      `Each shape runs as tenants ${TENANTS.join(' and ')} (the skewed table's largest tenant, absent from the others, and an ordinary one). For every statement OrmAI ran: the guard's estimate for its generic plan and for the plan for its values, and the rows each of those plans really read (EXPLAIN ANALYZE: rows produced plus rows removed by filters at each scan node; the generic plan prepared and executed in generic mode).`,
      `default runs: the plan the default adapter runs under the PROD budget (${BUDGET} rows): the generic plan when its estimate fits, else the plan for the values when that one fits, else refused.`,
      'Verdicts: UNDER-ESTIMATE when either estimate is below the rows its plan read (a security bug); false refusal when refused although one of the plans read within the budget; large over-estimate when the plan run is estimated at more than 10x the rows it read (and over 1,000).',
    ],
    rows,
  };
}
