import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../bin.ts', import.meta.url));
// By location: `--import tsx` would resolve tsx from the working directory, which may be a project without it.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** For a test that spawns the binary a few times: each run loads TypeScript sources through tsx (seconds). */
export const SPAWNS_TIMEOUT = 90_000;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `ormai` binary from source (`node --conditions=ormai-source --import tsx src/bin.ts`) in `cwd`. */
export function runCliIn(cwd: string, args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=ormai-source', '--import', TSX, BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The same, in the package's own folder. */
export const runCli = (args: readonly string[]): Promise<CliRun> => runCliIn(PACKAGE_DIR, args);
