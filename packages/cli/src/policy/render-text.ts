import pc from 'picocolors';
import { table } from '../output.js';
import { DIFF_GROUPS, type ChangeEffect } from './diff-change.js';
import type { PolicyDiff } from './diff.js';
import type { LintFinding } from './lint-finding.js';

const MARK: Record<ChangeEffect, string> = { grant: pc.red('+ grants  '), restrict: pc.green('- removes '), change: pc.yellow('~ changes ') };

const GROUP_TITLE: Record<(typeof DIFF_GROUPS)[number], string> = {
  profile: 'Profile', models: 'Models', tools: 'Tool switches', tenancy: 'Tenant scope', fields: 'Fields', relations: 'Includes (relations)', writes: 'Writes',
  reasons: 'Reason requirement', approvals: 'Approval rules', budgets: 'Budgets', quotas: 'Quotas', audit: 'Audit',
};

/** The diff for people: grouped, one line per change, what it grants marked first. */
export function diffText(diff: PolicyDiff): string {
  const lines = [`Policy ${diff.from.slice(0, 12)} → ${diff.to.slice(0, 12)} (${diff.basis === 'schema' ? 'field rules resolved against the schema' : 'as the policies state them'})`];
  if (!diff.changes.length) return [...lines, 'No differences.'].join('\n');
  for (const group of DIFF_GROUPS) {
    const changes = diff.changes.filter((c) => c.group === group);
    if (!changes.length) continue;
    lines.push('', pc.bold(GROUP_TITLE[group]));
    for (const change of changes) lines.push(`  ${MARK[change.effect]}${change.message}`);
  }
  const other = diff.changes.length - diff.grants - diff.restricts;
  lines.push('', `${diff.grants} granted, ${diff.restricts} removed, ${other} other change${other === 1 ? '' : 's'}.`);
  return lines.join('\n');
}

/** Lint findings as a table, errors in red, and a count. */
export function lintText(findings: LintFinding[]): string {
  if (!findings.length) return pc.green('No findings.');
  const severity = (s: LintFinding['severity']) => (s === 'error' ? pc.red(s) : pc.yellow(s));
  const errors = findings.filter((f) => f.severity === 'error').length;
  return [
    table(['severity', 'rule', 'where', 'finding'], findings.map((f) => [severity(f.severity), f.rule, f.at, f.message])),
    `${errors} error${errors === 1 ? '' : 's'}, ${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'}.`,
  ].join('\n');
}
