import type { Report, Section } from './report.js';

const find = (sections: Section[], id: string) => sections.find((s) => s.id === id);
const num = (value: unknown) => (typeof value === 'number' ? value : Number.NaN);

/** Where each of the goals stands in this run (null: not measured in this run). */
export function goals(sections: Section[]): Report['goals'] {
  const read = find(sections, 'readOverhead')?.rows.find((r) => r.contender === 'OrmAI db_query (PROD)');
  const generic = find(sections, 'readOverhead')?.rows.find((r) => r.contender === 'OrmAI db_query (PROD, genericPlans)');
  const cpu = find(sections, 'policyCpu')?.rows.find((r) => String(r.shape).includes('include'));
  const trips = find(sections, 'roundTrips')?.rows.find((r) => r.adapter === 'default' && String(r.case).startsWith('varied'));
  const genericTrips = find(sections, 'roundTrips')?.rows.find((r) => r.adapter === 'genericPlans' && String(r.case).startsWith('varied'));
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
  if (generic) {
    out.push({ goal: 'with genericPlans: p50 <= 1.1x findAll', measured: `${generic['p50 vs findAll']}x findAll, ${generic['p50 vs raw pg']}x raw pg`, met: num(generic['p50 vs findAll']) <= 1.1 });
    out.push({ goal: 'with genericPlans: throughput >= 1.0x findAll at 16 callers', measured: `${generic['throughput vs findAll']}x`, met: num(generic['throughput vs findAll']) >= 1.0 });
  }
  if (genericTrips) {
    out.push({ goal: 'with genericPlans: 0 extra round trips (varied values)', measured: `${genericTrips['extra round trips per call']} per call`, met: num(genericTrips['extra round trips per call']) === 0 });
  }
  out.push(...auditGoals(sections));
  return out;
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
