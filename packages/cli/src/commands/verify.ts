import type { Command } from 'commander';
import { loadConfig } from '../load-config.js';
import { stdoutOutput } from '../output.js';
import { EXIT } from '../program.js';
import { renderVerify } from '../verify/render-verify.js';
import { runVerify } from '../verify/run-verify.js';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'Run the six pre-launch probes against the config\'s setup: cross-tenant, PII, budget, write (reason), approval, audit. ' +
        'Probes are generated from the policy and schema and leave the data as they found it. Exits 1 when one fails. ' +
        'A check needing a generic tool the policy switches off for a model is skipped and counted, never passed; domain tools are listed, not called.',
    )
    .option('--json', 'print one JSON document instead of the table')
    .action(async (options: { json?: boolean }, command: Command) => {
      const output = stdoutOutput(Boolean(options.json));
      const config = await loadConfig(command.optsWithGlobals<{ config?: string }>().config);
      const setup = await config.setup();
      const progress = !output.json && process.stderr.isTTY ? (probe: string) => void process.stderr.write(`probing ${probe}...\n`) : undefined;
      try {
        const report = await runVerify(setup.ormai, { ...config.principals, approver: config.approver }, progress);
        output.write(output.json ? JSON.stringify(report, null, 2) : renderVerify(report));
        process.exitCode = report.ok ? EXIT.ok : EXIT.failed;
      } finally {
        await setup.close?.();
      }
    });
}
