/**
 * The long property run of issue 14, by hand: `npx tsx scripts/property-long-run.ts [runs] [seed]`
 * (default 100,000 runs per property, a random seed). Runs the property suites through vitest with
 * ORMAI_PROPERTY_RUNS / ORMAI_PROPERTY_SEED; a failure prints the seed and the shrunk counterexample,
 * and the same seed replays it. Needs PostgreSQL at DATABASE_URL like `npm test`. Hours, not minutes.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runs = process.argv[2] ?? '100000';
const seed = process.argv[3] ?? String(Math.floor(Math.random() * 2 ** 31));
const testDir = fileURLToPath(new URL('../test/', import.meta.url));
console.log(`property long run: ${runs} runs per property, seed ${seed}`);
const started = Date.now();
const result = spawnSync('npx', ['vitest', 'run', 'property-'], {
  cwd: testDir,
  stdio: 'inherit',
  env: { ...process.env, ORMAI_PROPERTY_RUNS: runs, ORMAI_PROPERTY_SEED: seed },
});
console.log(`finished in ${Math.round((Date.now() - started) / 1000)} s with exit code ${result.status} (seed ${seed})`);
process.exit(result.status ?? 1);
