import type { Policy, SchemaInfo } from '@ormai/core';
import { lintProfile, lintPinning } from './lint-environment.js';
import { lintFields } from './lint-fields.js';
import type { LintFinding } from './lint-finding.js';
import { lintBudgets, lintWrites } from './lint-limits.js';
import { lintTenancy } from './lint-tenancy.js';
import { lintTools } from './lint-tools.js';
import { buildPolicyView } from './policy-view.js';

export interface LintInput {
  policy: Policy;
  /** The database schema: field-level checks then cover every field, not only those the policy names. */
  schema?: SchemaInfo | undefined;
  /** The policy as written (a JSON file), to tell a budget left unset from one stated. */
  stated?: unknown;
  env?: Record<string, string | undefined>;
  /** The project's package.json, parsed; absent: no pinning check. */
  packageJson?: unknown;
}

const ORDER = { error: 0, warning: 1 } as const;

/** Every finding, errors first. Throws PolicyDefinitionError when the policy does not bind to the schema. */
export function lintPolicy(input: LintInput): LintFinding[] {
  const view = buildPolicyView(input.policy, input.schema);
  const findings = [
    ...lintFields(view.models, input.schema),
    ...lintTenancy(view.models, input.policy, input.schema),
    ...lintBudgets(input.policy, input.stated),
    ...lintWrites(view.models),
    ...lintTools(view.models),
    ...lintProfile(input.policy, input.env ?? {}),
    ...lintPinning(input.packageJson),
  ];
  return findings.sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
}

/** A file that is not a valid policy: its validation problems, and the budget checks that still apply to what it says. */
export function lintInvalidPolicy(raw: unknown, problems: string[], packageJson?: unknown): LintFinding[] {
  return [
    ...problems.map((problem): LintFinding => ({ rule: 'invalid-policy', severity: 'error', at: problem.split(':')[0] ?? '(policy)', message: problem })),
    ...lintBudgets(raw),
    ...lintPinning(packageJson),
  ].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
}

export const hasErrors = (findings: LintFinding[]) => findings.some((f) => f.severity === 'error');
