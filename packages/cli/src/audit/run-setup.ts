import type { Command } from 'commander';
import type { OrmAISetup } from '../config.js';
import { loadConfig } from '../load-config.js';
import { EXIT } from '../program.js';
import type { Output } from '../output.js';
import { AuditCommandError } from './errors.js';

/** Builds the config's setup for one command and always releases it. */
export async function withSetup<T>(command: Command, use: (setup: OrmAISetup) => Promise<T>): Promise<T> {
  const config = await loadConfig(command.optsWithGlobals<{ config?: string }>().config);
  const setup = await config.setup();
  try {
    return await use(setup);
  } finally {
    await setup.close?.();
  }
}

/** Runs a command body; an `AuditCommandError` is reported (as JSON with --json) with exit 2, anything else propagates. */
export async function reportUnusable(out: Output, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (!(error instanceof AuditCommandError)) throw error;
    if (out.json) out.write(JSON.stringify({ error: { code: error.code, message: error.message } }));
    else process.stderr.write(`ormai: ${error.message}\n`);
    process.exitCode = EXIT.unusable;
  }
}
