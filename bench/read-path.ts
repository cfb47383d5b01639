import { Sequelize, DataTypes, Op } from 'sequelize';
import pg from 'pg';
import { createOrmAI, definePolicy, DEFAULT_PROD } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';

/**
 * A full PROD db_query against the same query as raw pg and Sequelize findAll, in one run, on one
 * PostgreSQL table (ratios, not absolute times). Usage: npm run read-path -w @ormai/bench [rows] [iterations]
 */
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const rows = Number(process.argv[2] ?? 1_000_000);
const iterations = Number(process.argv[3] ?? 2_000);
const schema = `ormai_bench_${process.pid}`;

const admin = new Sequelize(url, { logging: false });
await admin.query(`CREATE SCHEMA ${schema}`);
const sequelize = new Sequelize(url, { logging: false, dialectOptions: { options: `-c search_path=${schema}` }, pool: { max: 16 } });
const raw = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 16 });

try {
  const Event = sequelize.define(
    'Event',
    { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, tenantId: { type: DataTypes.STRING(32), field: 'tenant_id' }, kind: DataTypes.STRING(32), payload: DataTypes.STRING },
    { tableName: 'events', timestamps: false, indexes: [{ fields: ['tenant_id', 'kind'] }] },
  );
  await Event.sync();
  await sequelize.query(`INSERT INTO events (tenant_id, kind, payload) SELECT 't' || (g % 10), 'k' || (g % 500), md5(g::text) FROM generate_series(1, ${rows}) g`);
  await sequelize.query('ANALYZE events');

  const policy = definePolicy({ profile: DEFAULT_PROD, tenantScope: { field: 'tenantId' }, budgets: { maxRows: 20 }, models: { Event: {} } });
  const ormai = createOrmAI({ adapter: sequelizeAdapter(sequelize), policy, secret: 'bench' });
  const ctx = { tenantId: 't3', userId: 'bench' };
  const input = { model: 'Event', where: { field: 'kind', op: 'eq', value: 'k3' }, limit: 20 };
  const sql = 'SELECT id, kind, payload FROM events WHERE tenant_id = $1 AND kind = $2 ORDER BY id LIMIT 21';

  const contenders: Record<string, () => Promise<unknown>> = {
    'raw pg': () => raw.query(sql, ['t3', 'k3']),
    'Sequelize findAll': () => Event.findAll({ where: { tenantId: 't3', kind: { [Op.eq]: 'k3' } }, order: [['id', 'ASC']], limit: 21, attributes: ['id', 'kind', 'payload'] }),
    'OrmAI db_query (PROD)': async () => {
      const res = await ormai.call('db_query', input, ctx);
      if (!res.ok) throw new Error(res.error.code);
    },
  };

  const p50 = (samples: number[]) => samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
  const results: Record<string, { p50us: number; perSecond16: number }> = {};
  for (const [name, run] of Object.entries(contenders)) {
    for (let i = 0; i < 200; i++) await run(); // warm up pools and caches
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const start = process.hrtime.bigint();
      await run();
      samples.push(Number(process.hrtime.bigint() - start) / 1_000);
    }
    const started = performance.now();
    let done = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (done < iterations) {
        done += 1;
        await run();
      }
    }));
    results[name] = { p50us: Math.round(p50(samples)), perSecond16: Math.round((iterations / (performance.now() - started)) * 1000) };
  }
  const base = results['Sequelize findAll']!;
  console.log(`${rows} rows, 20-row indexed query, ${iterations} iterations`);
  for (const [name, r] of Object.entries(results)) {
    console.log(`${name.padEnd(24)} p50 ${String(r.p50us).padStart(5)} us (${(r.p50us / base.p50us).toFixed(2)}x findAll)   16 callers ${r.perSecond16}/s (${(r.perSecond16 / base.perSecond16).toFixed(2)}x)`);
  }
} finally {
  await sequelize.close();
  await raw.end();
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.close();
}
