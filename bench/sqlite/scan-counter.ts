import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One loop of a statement SQLite ran: the rows it visited (all iterations), and its plan detail. */
export interface LoopCount {
  visited: number;
  detail: string;
}

export interface ScanCounter {
  /** Runs the statement with its values to completion; each loop's rows visited. */
  count(sql: string, values: unknown[]): Promise<LoopCount[]>;
  close(): void;
}

/**
 * The scanstatus helper (scanstatus.c) built against the SQLite source node-sqlite3 ships, once per SQLite
 * version, in the system's temporary directory; null when that source or a C compiler is missing.
 */
async function helperBinary(): Promise<{ binary: string } | { missing: string }> {
  const deps = path.join(path.dirname(createRequire(import.meta.url).resolve('sqlite3/package.json')), 'deps');
  const tarball = existsSync(deps) ? (await readdir(deps)).find((f) => /^sqlite-autoconf-\d+\.tar\.gz$/.test(f)) : undefined;
  if (!tarball) return { missing: 'the SQLite source node-sqlite3 ships (node_modules/sqlite3/deps)' };
  const version = /(\d+)/.exec(tarball)![1]!;
  const dir = path.join(os.tmpdir(), 'ormai-bench', `sqlite-${version}`);
  const binary = path.join(dir, 'scanstatus');
  if (existsSync(binary)) return { binary };
  await mkdir(dir, { recursive: true });
  try {
    await run('tar', ['-xzf', path.join(deps, tarball), '-C', dir, '--strip-components=1']);
    const source = fileURLToPath(new URL('./scanstatus.c', import.meta.url));
    // node-sqlite3's defines that could matter to the planner (none of them does today), plus the counters.
    const defines = ['-DSQLITE_ENABLE_STMT_SCANSTATUS', '-DSQLITE_THREADSAFE=0', '-DSQLITE_OMIT_LOAD_EXTENSION', '-DSQLITE_ENABLE_MATH_FUNCTIONS', '-DSQLITE_ENABLE_FTS5'];
    await run('cc', ['-O1', ...defines, '-I', dir, source, path.join(dir, 'sqlite3.c'), '-o', binary, '-lm'], { timeout: 300_000 });
    return { binary };
  } catch (error) {
    return { missing: `a C compiler to build the scanstatus helper (${(error as Error).message.split('\n')[0]})` };
  }
}

const encode = (value: unknown): string => {
  if (value === null || value === undefined) return 'n';
  if (typeof value === 'number') return Number.isInteger(value) ? `i ${value}` : `r ${value}`;
  if (typeof value === 'boolean') return `i ${value ? 1 : 0}`;
  return `t ${Buffer.from(String(value), 'utf8').toString('hex')}`;
};

/** Opens the helper on a SQLite file (read-only); `missing` says what it lacked when it cannot run here. */
export async function openScanCounter(file: string): Promise<ScanCounter | { missing: string }> {
  const helper = await helperBinary();
  if ('missing' in helper) return helper;
  const child = spawn(helper.binary, [file], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    async count(sql, values) {
      child.stdin!.write([sql.replace(/\n/g, ' '), String(values.length), ...values.map(encode)].join('\n') + '\n');
      const { value: line } = await lines.next();
      if (typeof line !== 'string' || !line.startsWith('ok')) throw new Error(`scanstatus: ${line ?? 'no answer'}`);
      return line
        .split('\t')
        .slice(1)
        .map((loop) => {
          const bar = loop.indexOf('|');
          return { visited: Number(loop.slice(0, bar)), detail: loop.slice(bar + 1) };
        });
    },
    close: () => void child.stdin!.end(),
  };
}
