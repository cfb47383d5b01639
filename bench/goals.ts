import type { Report, Section } from './report.js';
import { ORMAI } from './scenarios/read-overhead.js';

const find = (sections: Section[], id: string) => sections.find((s) => s.id === id);
const num = (value: unknown) => (typeof value === 'number' ? value : Number.NaN);

const SPREAD_GOAL = 0.1;

/** The ratios whose run-to-run spread the issue bounds (within 10%): OrmAI's read against its baselines. */
const KEY_RATIOS = ['p50 vs findAll', 'p50 vs raw pg', 'throughput vs findAll'] as const;

/**
 * Where each of the issue's goals stands in this run (null: not measured in this run); `previous`: the
 * sections of the last report, for the run-to-run spread of the key ratios.
 */
export function goals(sections: Section[], previous: Section[] = []): Report['goals'] {
  const read = find(sections, 'readOverhead')?.rows.find((r) => r.contender === ORMAI);
  const cpu = find(sections, 'policyCpu')?.rows.find((r) => String(r.shape).includes('include'));
  const trips = find(sections, 'roundTrips')?.rows.find((r) => String(r.adapter).startsWith('default') && String(r.case).startsWith('varied'));
  const out: Report['goals'] = [];
  out.push({
    goal: 'db_query p50 <= 1.1x findAll (varied values)',
    measured: read ? `${read['p50 vs findAll']}x findAll` : 'not run',
    met: read ? num(read['p50 vs findAll']) <= 1.1 : null,
  });
  out.push({
    goal: 'db_query throughput >= 1.0x findAll at 16 callers',
    measured: read ? `${read['throughput vs findAll']}x` : 'not run',
    met: read ? num(read['throughput vs findAll']) >= 1.0 : null,
  });
  out.push({
    goal: 'db_query p50 <= 1.3x raw pg (varied values)',
    measured: read ? `${read['p50 vs raw pg']}x raw pg` : 'not run',
    met: read ? num(read['p50 vs raw pg']) <= 1.3 : null,
  });
  out.push({ goal: 'policy CPU < 50 us median per call', measured: cpu ? `${cpu['median us']} us` : 'not run', met: cpu ? num(cpu['median us']) < 50 : null });
  out.push({
    goal: '0 extra round trips on the hot read path (varied values)',
    measured: trips ? `${trips['extra round trips per call']} per call` : 'not run',
    met: trips ? num(trips['extra round trips per call']) === 0 : null,
  });
  out.push(...spreadGoals(read, find(previous, 'readOverhead')?.rows.find((r) => r.contender === ORMAI)));
  out.push(...estimatorGoals(sections));
  out.push(...auditGoals(sections));
  return out;
}

const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;

/** Ratios within 10% of the previous run's (the acceptance test: two runs agree), and how much they move within this one. */
function spreadGoals(read: Section['rows'][number] | undefined, before: Section['rows'][number] | undefined): Report['goals'] {
  const within = read ? KEY_RATIOS.map((key) => `${key} ${read[`spread of ${key} (blocks)`]}`) : [];
  // Informative: each third holds a third of the samples, so its ratios move more than a whole run's.
  const out: Report['goals'] = [
    {
      goal: 'key ratios across thirds of this run (informative: spread of p50 vs findAll, vs raw pg; throughput vs findAll)',
      measured: read ? within.join(', ') : 'not run',
      met: null,
    },
  ];
  if (read && before) {
    const changes = KEY_RATIOS.map((key) => Math.abs(num(read[key]) - num(before[key])) / num(before[key]));
    out.push({
      goal: 'key ratios within 10% of the previous run',
      measured: KEY_RATIOS.map((key, i) => `${key} ${before[key]} -> ${read[key]} (${percent(changes[i]!)})`).join('; '),
      met: changes.every((change) => change <= SPREAD_GOAL),
    });
  }
  return out;
}

/** No estimate below the rows read, on either database. */
function estimatorGoals(sections: Section[]): Report['goals'] {
  return [
    ['estimatorAccuracy', 'PostgreSQL'],
    ['estimatorAccuracySqlite', 'SQLite'],
  ].map(([id, name]) => {
    const rows = find(sections, id!)?.rows;
    const under = rows?.filter((r) => String(r.verdict).startsWith('UNDER')).length ?? 0;
    return {
      goal: `no scan under-estimate (${name}, estimator accuracy shapes)`,
      measured: rows?.length ? `${under} of ${rows.length} statements under-estimated` : 'not run',
      met: rows?.length ? under === 0 : null,
    };
  });
}

const SEAL_GOAL = 5_000;
const AUDIT_READ_GOAL = 1.05;

/** The audit trail's goals: sealing throughput (seal alone, and insert + seal end to end), read and write overhead. */
function auditGoals(sections: Section[]): Report['goals'] {
  const sealing = find(sections, 'auditSealing')?.rows;
  const reads = find(sections, 'auditReads')?.rows;
  const writes = find(sections, 'auditWrites')?.rows;
  const rates = (prefix: string) => sealing?.filter((r) => String(r.case).startsWith(prefix)) ?? [];
  const rateGoal = (goal: string, prefix: string) => {
    const rows = rates(prefix);
    return {
      goal,
      measured: rows.length ? rows.map((r) => `${r['records/s']}/s with ${r.instances}`).join(', ') : 'not run',
      met: rows.length ? Math.min(...rows.map((r) => num(r['records/s']))) >= SEAL_GOAL : null,
    };
  };
  const sqlRead = reads?.find((r) => r.contender === 'SQL sink');
  const sqlWrite = writes?.find((r) => r.contender === 'db_update, SQL sink (record in the write transaction)');
  return [
    rateGoal('audit sealing >= 5,000 records/s (seal alone, 1 and 3 instances)', 'seal alone'),
    rateGoal('audit insert + seal >= 5,000 records/s end to end (1 and 3 instances)', 'insert + seal'),
    {
      goal: 'db_query p50 with the SQL audit sink <= 1.05x audit off',
      measured: sqlRead ? `${sqlRead['p50 vs audit off']}x (p99 ${sqlRead['p99 vs audit off']}x, 16 callers ${sqlRead['throughput vs audit off']}x throughput)` : 'not run',
      met: sqlRead ? num(sqlRead['p50 vs audit off']) <= AUDIT_READ_GOAL : null,
    },
    { goal: 'db_update p50 with the SQL audit sink vs audit off (informative)', measured: sqlWrite ? `${sqlWrite['p50 vs audit off']}x` : 'not run', met: null },
  ];
}
