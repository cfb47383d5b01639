/**
 * Issue 14's long runs, by hand; `npm test` runs each shortened. Each runs its suite through vitest with
 * a longer setting, so it needs PostgreSQL (and Redis for `load`) like `npm test`:
 *   npx tsx scripts/long-run.ts property [runs=100000] [seed=random]  random calls per property (about half an hour)
 *   npx tsx scripts/long-run.ts load [seconds=30]                      32 agents, mixed reads and writes, then the audit checks
 *   npx tsx scripts/long-run.ts memory [calls=100000]                  heap growth over many calls, per dialect
 * A property failure prints the seed and the shrunk counterexample; the same seed replays it.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [suite, first, second] = process.argv.slice(2);
const seed = second ?? String(Math.floor(Math.random() * 2 ** 31));
const runs: Record<string, { files: string; env: Record<string, string>; label: string }> = {
  property: { files: 'property-', env: { ORMAI_PROPERTY_RUNS: first ?? '100000', ORMAI_PROPERTY_SEED: seed }, label: `${first ?? '100000'} runs per property, seed ${seed}` },
  load: { files: 'load.test', env: { ORMAI_LOAD_SECONDS: first ?? '30' }, label: `${first ?? '30'} s` },
  memory: { files: 'memory.test', env: { ORMAI_MEMORY_CALLS: first ?? '100000' }, label: `${first ?? '100000'} calls per dialect` },
};
const run = suite ? runs[suite] : undefined;
if (!run) {
  console.error(`usage: npx tsx scripts/long-run.ts ${Object.keys(runs).join('|')} [setting]`);
  process.exit(2);
}
console.log(`long run: ${suite}, ${run.label}`);
const started = Date.now();
const result = spawnSync('npx', ['vitest', 'run', run.files], {
  cwd: fileURLToPath(new URL('../test/', import.meta.url)),
  stdio: 'inherit',
  env: { ...process.env, ...run.env },
});
console.log(`finished in ${Math.round((Date.now() - started) / 1000)} s with exit code ${result.status}`);
process.exit(result.status ?? 1);
