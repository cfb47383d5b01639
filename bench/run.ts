import { dropDataset, ensureDataset, DATA_VERSION, EVENT_ROWS, KINDS, SCHEMA, SKEWED_ROWS, TENANTS } from './dataset.js';
import { closeEnvironment, machine, openEnvironment, type BenchEnvironment } from './environment.js';
import { goals } from './goals.js';
import { mergeWithPrevious, previousSections, writeReport, type Section } from './report.js';
import { audit } from './scenarios/audit.js';
import { budgetStores } from './scenarios/budget-stores.js';
import { estimatorAccuracy } from './scenarios/estimator-accuracy.js';
import { policyCpu } from './scenarios/policy-cpu.js';
import { readOverhead } from './scenarios/read-overhead.js';
import { roundTrips } from './scenarios/round-trips.js';
import { scale } from './scenarios/scale.js';
import { writes } from './scenarios/writes.js';

/**
 * `npm run bench`: builds (or reuses) the dataset, runs every scenario, writes results/latest.json and
 * results/latest.md. Flags: --fresh (rebuild the data), --drop (remove it and exit), --quick (a tenth
 * of the iterations, to check the harness), --only=id,id (run some scenarios).
 */
const SCENARIOS: Array<{ id: string; run: (env: BenchEnvironment) => Promise<Section | Section[]> }> = [
  { id: 'readOverhead', run: readOverhead },
  { id: 'policyCpu', run: policyCpu },
  { id: 'roundTrips', run: roundTrips },
  { id: 'scale', run: scale },
  { id: 'writes', run: writes },
  { id: 'estimatorAccuracy', run: estimatorAccuracy },
  { id: 'audit', run: audit },
  { id: 'budgetStores', run: budgetStores },
];

// Contenders the issue asks for whose subject does not exist yet: listed in the report until they land (add them to SCENARIOS).
const NOT_MEASURED: string[] = [];

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const flags = new Set(process.argv.slice(2));
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');

if (flags.has('--drop')) {
  await dropDataset(url);
  console.log(`dropped schema ${SCHEMA}`);
} else {
  const started = performance.now();
  const dataset = await ensureDataset(url, { fresh: flags.has('--fresh') });
  console.log(dataset.built ? `built ${SCHEMA} v${DATA_VERSION} in ${dataset.seconds.toFixed(0)} s` : `reusing ${SCHEMA} v${DATA_VERSION}`);
  const env = await openEnvironment(url, flags.has('--quick') ? 0.1 : 1);
  try {
    const sections: Section[] = [];
    for (const scenario of SCENARIOS.filter((s) => !only || only.includes(s.id))) {
      const began = performance.now();
      sections.push(...[await scenario.run(env)].flat());
      console.log(`${scenario.id}: ${((performance.now() - began) / 1000).toFixed(1)} s`);
    }
    const results = new URL('./results/', import.meta.url);
    const generatedAt = new Date().toISOString();
    const previous = await previousSections(results);
    const reported = only ? mergeWithPrevious(previous, sections, generatedAt) : sections;
    await writeReport(results, {
      generatedAt,
      durationSeconds: Math.round((performance.now() - started) / 1000),
      machine: await machine(env),
      dataset: {
        schema: `${SCHEMA} v${DATA_VERSION}`,
        events: EVENT_ROWS,
        tenants: TENANTS,
        kinds: KINDS,
        'rows per tenant and kind': EVENT_ROWS / (TENANTS * KINDS),
        notes: 'every 4th event, +1 every 8th',
        'skewed table': `${SKEWED_ROWS} rows, one tenant holding half`,
        'built this run': dataset.built,
      },
      // The run-to-run comparison needs a read-overhead measured in this run.
      goals: goals(reported, sections.some((s) => s.id === 'readOverhead') ? previous : []),
      sections: reported,
      notMeasured: NOT_MEASURED,
    });
    console.log('wrote bench/results/latest.json and latest.md');
  } finally {
    await closeEnvironment(env);
  }
}
