import { Command } from 'commander';
import { ORMAI_VERSION } from '@ormai/core';
import { registerAudit } from './commands/audit.js';
import { registerPolicy } from './commands/policy.js';
import { registerReview } from './commands/review.js';
import { registerVerify } from './commands/verify.js';

/** Exit codes fit for CI: 0 all good, 1 a check failed, 2 the command could not run (usage, config). */
export const EXIT = { ok: 0, failed: 1, unusable: 2 } as const;

export function buildProgram(): Command {
  const program = new Command('ormai')
    .description('OrmAI operations: pre-launch probes, policy export/diff/lint, audit verification and queries, the quarterly review.')
    .version(ORMAI_VERSION)
    .option('-c, --config <file>', 'config module (default: ormai.config.ts in the current directory)')
    .showHelpAfterError();
  registerVerify(program);
  registerPolicy(program);
  registerAudit(program);
  registerReview(program);
  return program;
}
