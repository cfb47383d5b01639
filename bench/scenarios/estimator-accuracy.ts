import pg from 'pg';
import { createOrmAI, definePolicy, DEFAULT_PROD, ExecutionLimitError, type ToolName } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
// The guard and the introspection are internals of @ormai/sequelize: measured here directly, from source.
import { pgScanGuard } from '../../packages/sequelize/src/scan/scan-guard.js';
import { introspect } from '../../packages/sequelize/src/introspect.js';
import { SCHEMA } from '../dataset.js';
import type { BenchEnvironment } from '../environment.js';
import type { Section } from '../report.js';

interface Shape {
  name: string;
  tool: ToolName;
  input: Record<string, unknown>;
}

const SHAPES: Shape[] = [
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

// The tenants each shape runs as: the largest (the skewed table's 'big') and an ordinary one. The estimate must cover both.
const TENANTS = ['big', 't7'];

const SCAN_NODES = new Set(['Seq Scan', 'Index Scan', 'Index Only Scan', 'Bitmap Index Scan']);

/** Rows a plan really read: what each scan node produced plus what its filter removed, over all its loops and workers. */
function rowsRead(node: Record<string, unknown>): number {
  const own = SCAN_NODES.has(String(node['Node Type']))
    ? (Number(node['Actual Rows'] ?? 0) + Number(node['Rows Removed by Filter'] ?? 0) + Number(node['Rows Removed by Index Recheck'] ?? 0)) * Number(node['Actual Loops'] ?? 1)
    : 0;
  return own + ((node.Plans as Array<Record<string, unknown>> | undefined) ?? []).reduce((sum, child) => sum + rowsRead(child), 0);
}

const TABLE_MODEL: Record<string, string> = { events: 'Event', notes: 'Note', tags: 'Tag', skewed_events: 'SkewedEvent' };

/**
 * Estimator accuracy (PostgreSQL): for each shape, every statement OrmAI runs, its scan estimate (the
 * guard's, which does not depend on the values) next to the rows EXPLAIN ANALYZE says it read, as each
 * tenant. An estimate below the rows read is a security bug; far above, a false refusal.
 */
export async function estimatorAccuracy(env: BenchEnvironment): Promise<Section> {
  const policy = definePolicy({
    profile: DEFAULT_PROD,
    tenantScope: { field: 'tenantId' },
    budgets: { maxScanRows: 1e12, maxRows: 50 },
    models: { Event: { relations: ['notes', 'tags'] }, Note: {}, Tag: {}, SkewedEvent: {} },
  });
  const ormai = createOrmAI({ adapter: sequelizeAdapter(env.sequelize), policy, secret: 'bench' });
  const { tables } = introspect(env.sequelize);
  const client = new pg.Client({ connectionString: env.url, options: `-c search_path=${SCHEMA}` });
  await client.connect();
  const session = { all: async (sql: string, params: unknown[]) => (await client.query(sql, params)).rows };
  const guard = pgScanGuard();
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const rows: Section['rows'] = [];
  try {
    for (const shape of SHAPES) {
      const byStatement = new Map<string, { tenant: string; table: string; estimate: number; actual: number }>();
      for (const tenant of TENANTS) {
        const captured: Array<{ text: string; values: unknown[] }> = [];
        proto.query = function (this: unknown, ...args: unknown[]) {
          const q = args[0] as { text?: string; values?: unknown[] };
          if (this !== client && typeof q === 'object' && q?.text && /^SELECT .* FROM "(\w+)" AS t WHERE/.test(q.text)) captured.push({ text: q.text, values: q.values ?? [] });
          return original.apply(this, args);
        };
        const result = await ormai.callTool(shape.tool, shape.input, { tenantId: tenant, userId: 'bench' });
        proto.query = original;
        if (!result.ok && result.error.code !== 'not_found') throw new Error(`${shape.name}: ${result.error.code}`);
        for (const [i, { text, values }] of captured.entries()) {
          const table = /FROM "(\w+)" AS t WHERE/.exec(text)![1]!;
          const meta = tables[TABLE_MODEL[table]!]!;
          // A negative budget makes the guard estimate and report every statement.
          const estimate = await guard(session, { sql: text, params: values, model: meta.model }, meta, -1).then(
            () => 0,
            (error) => (ExecutionLimitError.isInstance(error) ? error.estimatedRows : Number.NaN),
          );
          const [row] = (await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, values)).rows;
          const actual = rowsRead(row['QUERY PLAN'][0].Plan);
          byStatement.set(`${tenant}:${i}:${table}`, { tenant, table, estimate, actual });
        }
      }
      for (const { tenant, table, estimate, actual } of byStatement.values()) {
        rows.push({
          shape: shape.name,
          tenant,
          table,
          'estimated rows read': estimate,
          'actual rows read': actual,
          'estimate / actual': actual ? Number((estimate / actual).toFixed(1)) : '-',
          verdict: estimate < actual ? 'UNDER-ESTIMATE (security bug)' : estimate > 10 * Math.max(actual, 100) ? 'large over-estimate' : 'ok',
        });
      }
    }
  } finally {
    proto.query = original;
    await client.end();
  }
  return {
    id: 'estimatorAccuracy',
    title: 'Estimator accuracy (PostgreSQL, per-value plans)',
    notes: [
      `Each shape runs as tenants ${TENANTS.join(' and ')} (the skewed table\'s largest tenant, absent from the others, and an ordinary one); the estimate is the guard's for the statement OrmAI ran, from the plan for those values; the actual is EXPLAIN ANALYZE's rows produced plus rows removed by filters at each scan node.`,
      'Over-estimate flagged when more than 10x the rows read (and over 1,000). SQLite is not measured yet: node-sqlite3 exposes no rows-read counter.',
    ],
    rows,
  };
}
