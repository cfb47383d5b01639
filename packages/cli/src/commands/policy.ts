import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Policy, SchemaInfo } from '@ormai/core';
import { stdoutOutput } from '../output.js';
import { EXIT } from '../program.js';
import { diffPolicies } from '../policy/diff.js';
import { policyMarkdown } from '../policy/export-markdown.js';
import { hasErrors, lintInvalidPolicy, lintPolicy } from '../policy/lint.js';
import type { LintFinding } from '../policy/lint-finding.js';
import { buildPolicyView, type DomainToolView } from '../policy/policy-view.js';
import { isPolicyDefinitionError, policyFromConfig, policyFromJson, PolicyInputError, readPolicyFile, readPolicyJson } from '../policy/policy-source.js';
import { diffText, lintText } from '../policy/render-text.js';

const configOf = (command: Command) => command.optsWithGlobals<{ config?: string }>().config;

/** From `--policy file.json` (no database, no schema) or from the config's setup (policy bound to its schema). */
async function policyAndSchema(command: Command, policyFile: string | undefined): Promise<{ policy: Policy; schema?: SchemaInfo; domainTools?: DomainToolView[] }> {
  return policyFile ? { policy: await readPolicyFile(policyFile) } : policyFromConfig(configOf(command));
}

async function projectPackageJson(): Promise<unknown> {
  const path = resolve(process.cwd(), 'package.json');
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    throw new PolicyInputError(`${path} is not JSON`);
  }
}

interface ExportOptions { format: string; out?: string; policy?: string; json?: boolean }

async function runExport(options: ExportOptions, command: Command) {
  const format = options.json ? 'json' : options.format;
  if (format !== 'json' && format !== 'md') throw new PolicyInputError(`--format must be json or md, not '${format}'`);
  const { policy, schema, domainTools } = await policyAndSchema(command, options.policy);
  const view = buildPolicyView(policy, schema, domainTools);
  const text = format === 'json' ? JSON.stringify(view, null, 2) : policyMarkdown(view);
  if (options.out) await writeFile(options.out, `${text}\n`);
  else stdoutOutput(format === 'json').write(text);
}

interface DiffOptions { fromConfig?: boolean; json?: boolean; failOnGrant?: boolean }

async function runDiff(a: string, b: string | undefined, options: DiffOptions, command: Command) {
  if (Boolean(options.fromConfig) === (b !== undefined)) throw new PolicyInputError('give two policy files (ormai policy diff A B), or one and --from-config');
  const before = await readPolicyFile(a);
  const after = b !== undefined ? { policy: await readPolicyFile(b) } : await policyFromConfig(configOf(command));
  const diff = diffPolicies(before, after.policy, 'schema' in after ? after.schema : undefined);
  stdoutOutput(Boolean(options.json)).write(options.json ? JSON.stringify(diff, null, 2) : diffText(diff));
  process.exitCode = options.failOnGrant && diff.grants > 0 ? EXIT.failed : EXIT.ok;
}

interface LintOptions { policy?: string; json?: boolean; strict?: boolean }

async function lintFindings(options: LintOptions, command: Command): Promise<LintFinding[]> {
  const packageJson = await projectPackageJson();
  const env = { NODE_ENV: process.env.NODE_ENV };
  if (!options.policy) {
    const { policy, schema } = await policyFromConfig(configOf(command));
    return lintPolicy({ policy, schema, env, packageJson });
  }
  const raw = await readPolicyJson(options.policy);
  try {
    return lintPolicy({ policy: policyFromJson(raw), stated: raw, env, packageJson });
  } catch (error) {
    if (isPolicyDefinitionError(error)) return lintInvalidPolicy(raw, error.problems, packageJson);
    throw error;
  }
}

async function runLint(options: LintOptions, command: Command) {
  const findings = await lintFindings(options, command);
  const failed = hasErrors(findings) || (options.strict === true && findings.length > 0);
  stdoutOutput(Boolean(options.json)).write(options.json ? JSON.stringify({ ok: !failed, findings }, null, 2) : lintText(findings));
  process.exitCode = failed ? EXIT.failed : EXIT.ok;
}

export function registerPolicy(program: Command): void {
  const policy = program.command('policy').description('Export, compare and lint the policy.');
  policy
    .command('export')
    .description("The policy, its hash, what the agent can see and do per model and field, the generic tools switched on per model and the config's domain tools: JSON, or a Markdown report for auditors")
    .option('--format <format>', 'json or md', 'json')
    .option('--json', 'same as --format json')
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--policy <file>', 'a serialized policy (JSON) instead of the config: no database, only the stated rules')
    .action(runExport);
  policy
    .command('diff')
    .description('What changing policy A into B grants or removes, in words (exit 0; with --fail-on-grant, 1 when anything is granted)')
    .argument('<a>', 'the policy before (JSON file)')
    .argument('[b]', 'the policy after (JSON file)')
    .option('--from-config', "use the config's current policy as B, and resolve field rules against its schema")
    .option('--json', 'print the changes as JSON')
    .option('--fail-on-grant', 'exit 1 when the change grants anything')
    .action(runDiff);
  policy
    .command('lint')
    .description('Risky settings: readable secrets and free text, unscoped joins, loose budgets, writes without reasons, db_describe_schema switched off where other tools reach a model, dev profile in production, unpinned @ormai packages (exit 1 on any error)')
    .option('--policy <file>', 'lint a policy file instead of the config (checks needing the schema are skipped)')
    .option('--json', 'print the findings as JSON')
    .option('--strict', 'exit 1 on warnings too')
    .action(runLint);
}
