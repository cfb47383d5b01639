import { Sequelize } from 'sequelize';
import { createOrmAI, definePolicy, DEFAULT_PROD, ExecutionLimitError } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
// The guard and the introspection are internals of @ormai/sequelize: measured here directly, from source.
import { sqliteScanGuard } from '../../packages/sequelize/src/scan/sqlite-scan-guard.js';
import { introspect } from '../../packages/sequelize/src/introspect.js';
import { defineModels } from '../models.js';
import type { Section } from '../report.js';
import { ensureSqliteDataset } from '../sqlite/dataset.js';
import { openScanCounter } from '../sqlite/scan-counter.js';
import { SHAPES, TENANTS } from './estimator-accuracy.js';

interface SqliteConnection {
  all(sql: string, params: unknown[], callback: (error: Error | null, rows: Record<string, unknown>[]) => void): void;
}

const TABLE_MODEL: Record<string, string> = { events: 'Event', notes: 'Note', tags: 'Tag', skewed_events: 'SkewedEvent' };

/**
 * Estimator accuracy (SQLite): the same shapes on the same data in a SQLite file, each statement OrmAI ran
 * next to the rows SQLite really visited running it, counted by SQLite itself (sqlite3_stmt_scanstatus,
 * through a helper built from the same SQLite version: see sqlite/scan-counter.ts).
 */
export async function sqliteEstimatorAccuracy(): Promise<Section> {
  const section = (rows: Section['rows'], notes: string[]): Section => ({
    id: 'estimatorAccuracySqlite',
    title: 'Estimator accuracy (SQLite)',
    notes: [
      `The PostgreSQL shapes and data (${TENANTS.join(' and ')} as tenants) in a SQLite file (sqlite_stat1 empty: never analyzed). The estimate is the guard's (sqlite-plan-estimate.ts: EXPLAIN QUERY PLAN, largest group per index prefix); rows read are SQLite's own count of rows visited by every loop over the statement's table (sqlite3_stmt_scanstatus NVISIT, all iterations), running the statement with its values to completion in a helper built from the SQLite source node-sqlite3 ships (same version and planner), with the scan counters enabled.`,
      'Verdicts: UNDER-ESTIMATE when the estimate is below the rows visited (a security bug); large over-estimate above 10x (and over 1,000). The guard does not count a LIMIT stopping a scan early: most over-estimates here.',
      ...notes,
    ],
    rows,
  });
  const file = await ensureSqliteDataset();
  const counter = await openScanCounter(file);
  if ('missing' in counter) return section([], [`Not measured on this machine: it needs ${counter.missing}.`]);
  const sequelize = new Sequelize({ dialect: 'sqlite', storage: file, logging: false });
  const rows: Section['rows'] = [];
  try {
    defineModels(sequelize);
    const policy = definePolicy({
      profile: DEFAULT_PROD,
      tenantScope: { field: 'tenantId' },
      budgets: { maxScanRows: 1e12, maxRows: 50 },
      models: { Event: { relations: ['notes', 'tags'] }, Note: {}, Tag: {}, SkewedEvent: {} },
    });
    const ormai = createOrmAI({ adapter: sequelizeAdapter(sequelize), policy, secret: 'bench' });
    const { tables } = introspect(sequelize);
    // The adapter reads on Sequelize's default connection: record what it sends there.
    const connection = (await (sequelize.connectionManager as unknown as { getConnection(o: object): Promise<SqliteConnection> }).getConnection({})) as SqliteConnection;
    const all = connection.all.bind(connection);
    const session = { all: (sql: string, params: unknown[]) => new Promise<Record<string, unknown>[]>((resolve, reject) => all(sql, params, (e, r) => (e ? reject(e) : resolve(r)))) };
    let captured: Array<{ sql: string; params: unknown[] }> = [];
    connection.all = (sql, params, callback) => {
      if (/^SELECT .* FROM [`"]\w+[`"] AS t WHERE/.test(sql)) captured.push({ sql, params });
      all(sql, params, callback);
    };
    const guard = sqliteScanGuard();
    for (const shape of SHAPES) {
      for (const tenant of TENANTS) {
        captured = [];
        const result = await ormai.callTool(shape.tool, shape.input, { tenantId: tenant, userId: 'bench' });
        if (!result.ok && result.error.code !== 'not_found') throw new Error(`${shape.name} (SQLite): ${result.error.code}`);
        for (const { sql, params } of captured) {
          const table = /FROM [`"](\w+)[`"] AS t WHERE/.exec(sql)![1]!;
          const meta = tables[TABLE_MODEL[table]!]!;
          // A negative budget makes the guard estimate and report every statement.
          const estimate = await guard(session, { sql, params, model: meta.model }, meta, -1).then(
            () => Number.NaN,
            (error: unknown) => (ExecutionLimitError.isInstance(error) ? (error.estimatedRows ?? Number.NaN) : Number.NaN),
          );
          const loops = (await counter.count(sql, params)).filter((loop) => /^(SCAN|SEARCH) t\b/.test(loop.detail));
          const read = loops.reduce((sum, loop) => sum + loop.visited, 0);
          rows.push({
            shape: shape.name,
            tenant,
            table,
            plan: loops.map((loop) => loop.detail).join('; '),
            'estimated rows read': estimate,
            'rows visited': read,
            'estimate / visited': read ? Number((estimate / read).toFixed(1)) : '-',
            verdict: !(estimate >= read) ? 'UNDER-ESTIMATE (security bug)' : estimate > 10 * Math.max(read, 100) ? 'large over-estimate' : 'ok',
          });
        }
      }
    }
  } finally {
    counter.close();
    await sequelize.close();
  }
  return section(rows, []);
}
