import { Command } from 'commander';
import { AUDIT_VIEWS } from '@ormai/sequelize';
import { auditSourceOf } from '../audit/audit-source.js';
import { formatRows } from '../audit/format-rows.js';
import { parseInstant, parsePositiveInteger } from '../audit/period.js';
import { reportUnusable, withSetup } from '../audit/run-setup.js';
import { DEFAULT_LIMIT, runSavedQuery } from '../audit/saved-query.js';
import { formatChainReport, verifyChain } from '../audit/verify-chain.js';
import { stdoutOutput } from '../output.js';
import { EXIT } from '../program.js';

interface QueryOptions {
  since?: string;
  until?: string;
  tenant?: string;
  limit?: string;
  json?: boolean;
}

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('The audit trail: verify its hash chain, run the saved queries.');

  audit
    .command('verify')
    .description('Walk the audit hash chain of the config\'s OrmAI instance. Exit 1 when it is broken, 2 when the sink cannot verify.')
    .option('--json', 'one JSON document on stdout')
    .action(async (options: { json?: boolean }, command: Command) => {
      const out = stdoutOutput(Boolean(options.json));
      await reportUnusable(out, () =>
        withSetup(command, async ({ ormai }) => {
          const report = await verifyChain(ormai);
          out.write(out.json ? JSON.stringify(report) : formatChainReport(report));
          process.exitCode = report.ok ? EXIT.ok : EXIT.failed;
        }),
      );
    });

  audit
    .command('query')
    .description('Run a saved query of the SQL audit sink (see docs/audit-queries.md), most recent rows first.')
    .argument('<saved-query>', `one of ${AUDIT_VIEWS.join(', ')}`)
    .option('--since <iso>', 'from this date or instant (inclusive)')
    .option('--until <iso>', 'up to this date or instant (exclusive)')
    .option('--tenant <id>', 'only this tenant\'s records')
    .option('--limit <n>', `at most n rows (default ${DEFAULT_LIMIT})`)
    .option('--json', 'one JSON document on stdout')
    .action(async (name: string, options: QueryOptions, command: Command) => {
      const out = stdoutOutput(Boolean(options.json));
      await reportUnusable(out, async () => {
        const filters = {
          since: parseInstant('--since', options.since),
          until: parseInstant('--until', options.until),
          tenantId: options.tenant,
          limit: parsePositiveInteger('--limit', options.limit),
        };
        await withSetup(command, async (setup) => {
          const rows = await runSavedQuery(auditSourceOf(setup.audit), name, filters);
          out.write(out.json ? JSON.stringify({ query: name, rows }) : formatRows(rows));
        });
      });
    });
}
