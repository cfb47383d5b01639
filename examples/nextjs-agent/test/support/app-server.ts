import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_DIR = fileURLToPath(new URL('../../', import.meta.url));
const NEXT_BIN = createRequire(import.meta.url).resolve('next/dist/bin/next');

export interface RunningApp {
  url: string;
  stop(): Promise<void>;
}

/** A port the OS just handed out on loopback: free when we ask, and `next start` binds it right after. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}: see the server log`);
    const status = await fetch(`${url}/api/health`).then((r) => r.status, () => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the app did not answer /api/health within ${timeoutMs} ms`);
}

// Variables that would switch the app off its offline defaults (OpenAI, PostgreSQL, Upstash, a proxy's IP header).
const ONLINE = ['OPENAI_API_KEY', 'DATABASE_URL', 'UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN', 'VERCEL', 'CLIENT_IP_HEADER'];

/**
 * `next start -H 127.0.0.1` on a free port, from the build in .next (the package's `test` script builds it
 * first), with the offline defaults (scripted model, SQLite in memory, rate limits in memory) unless
 * `env` sets one of them.
 */
export async function startApp(env: Record<string, string>, logFile: string): Promise<RunningApp> {
  if (!existsSync(join(APP_DIR, '.next/BUILD_ID'))) {
    throw new Error('No Next.js build: run `npm run build -w @ormai/example-nextjs-agent` first (`npm test` does)');
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ONLINE) delete childEnv[name];
  Object.assign(childEnv, { NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' }, env);
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '-H', '127.0.0.1', '-p', String(port)], { cwd: APP_DIR, env: childEnv, detached: true });
  const log = createWriteStream(logFile);
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
    log.end();
  };
  try {
    await waitUntilHealthy(url, child, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
