import { createOrmAI, type OrmAIAdapter, type QueryInput, type Row } from '@ormai/core';
import type { BenchEnvironment } from '../environment.js';
import { latencyStats, seededRandom } from '../measure.js';
import { readPolicy } from '../policies.js';
import type { Section } from '../report.js';

/** The real adapter's schema and capabilities, but every select answers canned rows at once: what is left is OrmAI's own work. */
function cannedAdapter(real: OrmAIAdapter): OrmAIAdapter {
  const createdAt = new Date('2024-01-01T00:00:00Z');
  return {
    ...real,
    select: async (plan) =>
      Array.from({ length: plan.limit }, (_, i) => ({
        id: i + 1,
        kind: 'k3',
        amount: i * 7,
        payload: 'a3f2c1d4e5b6a7980123456789abcdef',
        createdAt,
        ...(plan.includes.length ? { notes: [{ id: i * 2 + 1, body: `note ${i}`, eventId: i + 1 }] } : {}),
      })) as Row[],
  };
}

/** Policy CPU: microseconds per db_query call spent in OrmAI itself (validation, authorization, compile, redaction, cursor). */
export async function policyCpu(env: BenchEnvironment): Promise<Section> {
  const ormai = createOrmAI({ adapter: cannedAdapter(env.adapter()), policy: readPolicy, secret: 'bench' });
  const random = seededRandom(5);
  const shapes: Record<string, () => QueryInput> = {
    'query, 20 rows': () => ({ model: 'Event', where: { field: 'kind', op: 'eq', value: `k${Math.floor(random() * 500)}` }, orderBy: [{ field: 'id' }], limit: 20 }),
    'query, 20 rows + notes include': () => ({
      model: 'Event',
      where: { field: 'kind', op: 'eq', value: `k${Math.floor(random() * 500)}` },
      orderBy: [{ field: 'id' }],
      limit: 20,
      include: [{ relation: 'notes', select: ['id', 'body'] }],
    }),
  };
  const calls = Math.round(20_000 * env.scale);
  const rows = [];
  for (const [shape, input] of Object.entries(shapes)) {
    const samples: number[] = [];
    for (let i = 0; i < calls + 2_000; i++) {
      const started = process.hrtime.bigint();
      const result = await ormai.call('db_query', input(), { tenantId: 't3', userId: 'bench' });
      if (i >= 2_000) samples.push(Number(process.hrtime.bigint() - started) / 1_000);
      if (!result.ok) throw new Error(`policy CPU call refused: ${result.error.code}`);
    }
    const stats = latencyStats(samples);
    rows.push({ shape, calls: stats.calls, 'median us': stats.p50us, 'p99 us': stats.p99us });
  }
  return {
    id: 'policyCpu',
    title: 'Policy CPU per call (database replaced by canned rows)',
    notes: ['The adapter answers canned rows immediately; the time is validation, authorization, plan compilation, redaction and cursor signing. No audit record is written yet (no audit store exists).'],
    rows,
  };
}
