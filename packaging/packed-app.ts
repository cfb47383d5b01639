import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../', import.meta.url));
const fromHere = createRequire(import.meta.url);

export const PUBLISHED = ['core', 'sequelize', 'ai-sdk', 'upstash', 'cli'] as const;

/**
 * The environment without what `npm test` sets for its scripts (npm_config_local_prefix and the
 * like), so a child npm works on the directory it is run in, not on this workspace.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'INIT_CWD'));
}

export async function run(command: string, args: string[], cwd: string) {
  try {
    return await exec(command, args, { cwd, env: cleanEnv(), maxBuffer: 32 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`);
  }
}

export async function leaveStaleBuildOutput(name: (typeof PUBLISHED)[number]): Promise<void> {
  const dist = join(root, 'packages', name, 'dist');
  await mkdir(dist, { recursive: true });
  await writeFile(join(dist, 'stale-build-output.js'), 'export {};\n');
}

/**
 * `npm pack` as `npm publish` would do it: `prepack` cleans and builds dist first. It rebuilds the
 * packages' dist in this tree, so two runs at once in one working tree race (CI runs one).
 */
export async function packPackage(name: (typeof PUBLISHED)[number], destination: string): Promise<string> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], join(root, 'packages', name));
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ filename: string }>;
  return join(destination, packed!.filename);
}

/** A dev tool's CLI (publint, attw, tsc) from the workspace's devDependencies, run with this Node. */
export const runBin = (bin: string, args: string[], cwd: string) =>
  run(process.execPath, [join(root, 'node_modules/.bin', bin), ...args], cwd);

// Read from the hoisted node_modules: some packages (@upstash/redis) do not export their package.json.
const installedVersion = (pkg: string) => (JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * A throwaway app outside the workspace with the tarballs installed as a user would, plus the peers
 * a user adds, at the versions this workspace locks (from npm's cache when it has them). Install
 * scripts are skipped and the workspace's sqlite3 is linked in: the driver is the app's own
 * choice, and building it from source would take minutes.
 */
export async function createPackedApp(dir: string, tarballs: string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'ormai-packed-app', private: true, type: 'module' }));
  const peers = ['sequelize', 'zod', 'ai', '@types/node', '@upstash/redis', 'ioredis'].map((pkg) => `${pkg}@${installedVersion(pkg)}`);
  await run('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, ...peers], dir);
  await symlink(dirname(fromHere.resolve('sqlite3/package.json')), join(dir, 'node_modules', 'sqlite3'), 'dir');
  await copyFile(join(root, 'examples/quickstart/src/quickstart.ts'), join(dir, 'quickstart.ts'));
  for (const file of ['agent.ts', 'tsconfig.json']) await copyFile(fileURLToPath(new URL(`app/${file}`, import.meta.url)), join(dir, file));
}
