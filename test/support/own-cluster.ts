import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { closedPort } from '../../packages/upstash/src/test-support/redis.js';

const run = promisify(execFile);

/** The newest installed PostgreSQL's binaries (PG_BIN overrides); missing ones fail the suite, they never skip it. */
function binDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`initdb and pg_ctl are required for the fault suites (install PostgreSQL's server binaries, or set PG_BIN)`);
  return join(root, newest, 'bin');
}

/** PostgreSQL refuses to run as root: as root, the binaries run as the postgres user. */
const asServerUser = (bin: string, args: string[]) => {
  const command = [bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return process.getuid?.() === 0 ? run('su', ['postgres', '-c', command]) : run(bin, args);
};

/**
 * A PostgreSQL cluster of the test's own, in a temporary folder on a free port: a test may kill, stop
 * and restart it without touching the shared server other suites use in parallel.
 */
export class OwnCluster {
  private constructor(
    readonly dir: string,
    private readonly bin: string,
    private port: number,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** initdb, then start (on another free port if the first was taken meanwhile). */
  static async create(): Promise<OwnCluster> {
    const bin = binDir();
    const dir = mkdtempSync(join(tmpdir(), 'ormai-pg-'));
    if (process.getuid?.() === 0) chownSync(dir, Number((await run('id', ['-u', 'postgres'])).stdout.trim()), Number((await run('id', ['-g', 'postgres'])).stdout.trim()));
    const cluster = new OwnCluster(dir, bin, 0);
    try {
      await asServerUser(join(bin, 'initdb'), ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
      for (let attempt = 1; ; attempt++) {
        cluster.port = await closedPort();
        try {
          await cluster.start();
          return cluster;
        } catch (error) {
          if (attempt >= 3) throw error;
        }
      }
    } catch (error) {
      await cluster.remove();
      throw error;
    }
  }

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    // fsync off: the cluster is thrown away, and a crash test needs no durability beyond the server process.
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40`;
    await asServerUser(join(this.bin, 'pg_ctl'), ['-D', join(this.dir, 'data'), '-o', options, '-l', join(this.dir, 'log'), '-w', 'start']);
  }

  /** `immediate` is a crash: every backend dies at once, nothing is checkpointed, recovery runs at the next start. */
  async stop(mode: 'immediate' | 'fast' = 'immediate'): Promise<void> {
    await asServerUser(join(this.bin, 'pg_ctl'), ['-D', join(this.dir, 'data'), '-m', mode, '-w', 'stop']);
  }

  /** Stops the server if it runs and deletes the folder. */
  async remove(): Promise<void> {
    await this.stop('immediate').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
