import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin.ts', import.meta.url));

/** For a test that spawns the binary a few times: each run loads TypeScript sources through tsx (seconds). */
export const SPAWNS_TIMEOUT = 90_000;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `ormai` binary from source (as `node --conditions=ormai-source --import tsx src/bin.ts`). */
export function runCli(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=ormai-source', '--import', 'tsx', BIN, ...args], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, NO_COLOR: '1' },
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
