import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPackedApp, leaveStaleBuildOutput, PUBLISHED, packPackage, run, runBin } from './packed-app.js';

/**
 * What a user gets from the registry: each package packed as `npm publish` would (prepack builds
 * dist), linted, then installed from its tarball into an app outside the workspace, where the
 * `ormai-source` condition is not set: plain `node` resolves @ormai/* to dist, and could not run the
 * shipped .ts sources anyway.
 */
describe('published packages, installed from their tarballs', () => {
  let work: string;
  let app: string;
  let compilerOutput: string;
  const tarballs: string[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ormai-packed-'));
    app = join(work, 'app');
    // A file left from an old build must not ship: prepack starts from an empty dist.
    for (const name of PUBLISHED) await leaveStaleBuildOutput(name);
    tarballs.push(...(await Promise.all(PUBLISHED.map((name) => packPackage(name, work)))));
    await createPackedApp(app, tarballs);
    // Emits out/*.js even when it reports errors, so the run tests below report on their own.
    compilerOutput = await runBin('tsc', ['-p', 'tsconfig.json'], app).then(
      () => '',
      (error: Error) => error.message,
    );
  });

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('each tarball passes publint (strict) and attw (ESM-only profile)', async () => {
    await Promise.all(
      tarballs.flatMap((tarball) => [
        runBin('publint', ['--strict', tarball], work),
        runBin('attw', ['--profile', 'esm-only', '--no-color', tarball], work),
      ]),
    );
  });

  it('ships README, LICENSE, CHANGELOG, dist and src, and no tests or stale build output', async () => {
    for (const tarball of tarballs) {
      const { stdout } = await run('tar', ['-tzf', tarball], work);
      const files = stdout.split('\n').filter(Boolean);
      for (const required of ['package/README.md', 'package/LICENSE', 'package/CHANGELOG.md', 'package/dist/index.js', 'package/dist/index.d.ts', 'package/src/index.ts']) {
        expect(files, tarball).toContain(required);
      }
      expect(files.filter((file) => /\.test[.-]|test-support|\.corpus\.|stale-build-output/.test(file)), tarball).toEqual([]);
    }
  });

  it('every source map points at a file in the installed package', async () => {
    const missing: string[] = [];
    for (const name of PUBLISHED) {
      const dist = join(app, 'node_modules/@ormai', name, 'dist');
      const maps = (await readdir(dist, { recursive: true })).filter((file) => file.endsWith('.map'));
      expect(maps.length, name).toBeGreaterThan(0);
      for (const map of maps) {
        const { sources } = JSON.parse(await readFile(join(dist, map), 'utf8')) as { sources: string[] };
        for (const source of sources) if (!existsSync(join(dist, dirname(map), source))) missing.push(`${name}/dist/${map} -> ${source}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every package a shipped .js or .d.ts imports is a dependency or a peer, not a devDependency', async () => {
    const undeclared: string[] = [];
    for (const name of PUBLISHED) {
      const dir = join(app, 'node_modules/@ormai', name);
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
      const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
      for (const file of (await readdir(join(dir, 'dist'), { recursive: true })).filter((f) => /\.(js|d\.ts)$/.test(f))) {
        const code = await readFile(join(dir, 'dist', file), 'utf8');
        for (const [, specifier] of code.matchAll(/(?:from|import\()\s*['"](?!node:)([^'"./][^'"]*)['"]/g)) {
          const pkg = specifier!.split('/').slice(0, specifier!.startsWith('@') ? 2 : 1).join('/');
          if (!declared.has(pkg)) undeclared.push(`@ormai/${name}/dist/${file} imports ${specifier}`);
        }
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('a strict app compiles against the published types (exactOptionalPropertyTypes, skipLibCheck off)', () => {
    // Third-party typings are not ours to fix (sequelize 6's error classes break under
    // exactOptionalPropertyTypes); every diagnostic in the app or in @ormai's own .d.ts is.
    const ours = compilerOutput.split('\n').filter((line) => /error TS\d+/.test(line) && (!line.startsWith('node_modules/') || line.startsWith('node_modules/@ormai/')));
    expect(ours).toEqual([]);
  });

  it('runs the README quickstart with plain node: the tenant own order only, email masked', async () => {
    const { stdout } = await run(process.execPath, ['out/quickstart.js'], app);
    const result = JSON.parse(stdout);
    expect(result.ok).toBe(true);
    expect(result.data.rows).toHaveLength(1);
    expect(result.data.rows[0]).toMatchObject({ status: 'open', email: 'j***@acme.test', amount: 120 });
    expect(stdout).not.toMatch(/globex|jane@/);
  });

  it('can be required from CommonJS (Node >= 20.19 loads ESM with require)', async () => {
    const entries = ['@ormai/core', '@ormai/core/testing', '@ormai/sequelize', '@ormai/ai-sdk', '@ormai/upstash', '@ormai/upstash/node'];
    const script = `const e = ${JSON.stringify(entries)}.map((p) => Object.keys(require(p)).length); console.log(e.join(' '))`;
    const { stdout } = await run(process.execPath, ['-e', script], app);
    expect(stdout.trim()).toMatch(new RegExp(`^${entries.map(() => '[1-9]\\d*').join(' ')}$`));
  });

  it('installs the ormai binary: npx ormai --help lists every command', async () => {
    const { stdout } = await run('npx', ['--no-install', 'ormai', '--help'], app);
    for (const command of ['verify', 'policy', 'audit', 'review']) expect(stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    expect((await run('npx', ['--no-install', 'ormai', '--version'], app)).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('runs an AI SDK loop with ormaiTools and ormaiStopWhen with plain node', async () => {
    const { stdout } = await run(process.execPath, ['out/agent.js'], app);
    expect(stdout).toContain('j***@acme.test');
    expect(stdout).not.toMatch(/globex|jane@/);
  });
});
