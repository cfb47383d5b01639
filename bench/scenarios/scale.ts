import { createOrmAI } from '@ormai/core';
import { KINDS, TENANTS } from '../dataset.js';
import type { BenchEnvironment } from '../environment.js';
import { interleaved, seededRandom, type Contender } from '../measure.js';
import { scalePolicy } from '../policies.js';
import type { Section } from '../report.js';

const MODELS: Record<string, string> = { '10k': 'Event10k', '100k': 'Event100k', '1M': 'Event' };

/** Scale: the indexed tenant query should stay flat with table size; a refused unbounded query should not grow with it. */
export async function scale(env: BenchEnvironment): Promise<Section> {
  const ormai = createOrmAI({ adapter: env.adapter(), policy: scalePolicy, secret: 'bench' });
  const random = seededRandom(31);
  type Values = { tenant: string; kind: string };
  const contenders: Contender<Values>[] = Object.entries(MODELS).flatMap(([size, model]) => [
    {
      name: `${size} indexed`,
      run: async (v: Values) => {
        const result = await ormai.call('db_query', { model, where: { field: 'kind', op: 'eq', value: v.kind }, orderBy: [{ field: 'id' }], limit: 20 }, { tenantId: v.tenant, userId: 'bench' });
        if (!result.ok) throw new Error(`indexed query refused at ${size}: ${result.error.code}`);
      },
    },
    {
      name: `${size} refused`,
      run: async (v: Values) => {
        const result = await ormai.call('db_query', { model, orderBy: [{ field: 'payload' }], limit: 20 }, { tenantId: v.tenant, userId: 'bench' });
        if (result.ok || result.error.code !== 'scan_budget_exceeded') throw new Error(`unbounded query at ${size} was not refused`);
      },
    },
  ]);
  const draw = () => ({ tenant: `t${Math.floor(random() * TENANTS)}`, kind: `k${Math.floor(random() * KINDS)}` });
  const stats = await interleaved(contenders, draw, { iterations: Math.round(800 * env.scale), warmup: Math.round(100 * env.scale) });
  return {
    id: 'scale',
    title: 'Scale: indexed tenant query and refused unbounded query (OrmAI db_query, maxScanRows 1% of the table)',
    notes: ['Interleaved across sizes, random tenant per call. Indexed: one tenant\'s first 20 events of one kind (index on tenant and kind). Refused: `orderBy` an unindexed field with no filter, answered `scan_budget_exceeded` before it runs.'],
    rows: Object.keys(MODELS).map((size) => ({
      rows: size,
      'indexed p50us': stats[`${size} indexed`]!.p50us,
      'indexed p99us': stats[`${size} indexed`]!.p99us,
      'refused p50us': stats[`${size} refused`]!.p50us,
      'refused p99us': stats[`${size} refused`]!.p99us,
    })),
  };
}
