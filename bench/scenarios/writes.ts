import { createOrmAI } from '@ormai/core';
import { ACCOUNTS_PER_TENANT, TENANTS } from '../dataset.js';
import type { BenchEnvironment } from '../environment.js';
import { interleaved, seededRandom, type Contender } from '../measure.js';
import { statementsPerCall } from '../statements.js';
import { writePolicy } from '../policies.js';
import type { Section } from '../report.js';

/** Writes: db_update with a reason and a rate limit against Sequelize `update` in a transaction, on the same random account. */
export async function writes(env: BenchEnvironment): Promise<Section> {
  const { Account } = env.models;
  const ormai = createOrmAI({ adapter: env.adapter(), policy: writePolicy, secret: 'bench' });
  const random = seededRandom(47);
  type Values = { id: number; tenant: string; balance: number };
  // Account ids run from 1; account id n belongs to tenant t((n - 1) % TENANTS).
  const draw = (): Values => {
    const id = 1 + Math.floor(random() * TENANTS * ACCOUNTS_PER_TENANT);
    return { id, tenant: `t${(id - 1) % TENANTS}`, balance: Math.floor(random() * 1_000_000) };
  };
  const contenders: Contender<Values>[] = [
    {
      name: 'Sequelize update in a transaction',
      run: (v: Values) => env.sequelize.transaction((transaction) => Account.update({ balance: v.balance }, { where: { id: v.id, tenantId: v.tenant }, transaction })),
    },
    {
      name: 'OrmAI db_update (reason, rate limit)',
      run: async (v: Values) => {
        const result = await ormai.call('db_update', { model: 'Account', id: v.id, values: { balance: v.balance }, reason: 'benchmark: adjust the balance' }, { tenantId: v.tenant, userId: 'bench' });
        if (!result.ok) throw new Error(`db_update refused: ${result.error.code}`);
      },
    },
  ];
  const stats = await interleaved(contenders, draw, { iterations: Math.round(600 * env.scale), warmup: Math.round(50 * env.scale) });
  const trips = await statementsPerCall(contenders, draw);
  const base = stats['Sequelize update in a transaction']!.p50us;
  return {
    id: 'writes',
    title: 'Writes: one row updated by id',
    notes: [
      'OrmAI: BEGIN, SET LOCAL statement_timeout, target select (locked; the scan guard skips the small table), rate limit (in-memory store: no round trip), UPDATE ... RETURNING (the row after, no reload), COMMIT; redacted before/after. Sequelize: BEGIN, UPDATE, COMMIT.',
      'statements per call: counted at the pg client over 50 calls each (every statement any client sends).',
      'Audit off here; the audit scenario measures the same write with its record in the transaction.',
    ],
    rows: Object.entries(stats).map(([contender, s]) => ({
      contender,
      p50us: s.p50us,
      p99us: s.p99us,
      'p50 vs Sequelize': Number((s.p50us / base).toFixed(2)),
      'statements per call': trips[contender]!,
    })),
  };
}
