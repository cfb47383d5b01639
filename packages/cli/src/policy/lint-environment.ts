import type { Policy } from '@ormai/core';
import type { LintFinding } from './lint-finding.js';

/** A DEV policy (large budgets, no masking, no reasons) in a process that says it is production. */
export function lintProfile(policy: Policy, env: Record<string, string | undefined>): LintFinding[] {
  if (policy.profile !== 'dev' || env.NODE_ENV !== 'production') return [];
  return [{ rule: 'dev-profile-in-production', severity: 'error', at: 'profile', message: "the policy uses DEFAULT_DEV while NODE_ENV=production: no masking, no reasons, a million-row scan budget; use DEFAULT_PROD" }];
}

const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const DEPENDENCY_LISTS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

/**
 * `@ormai/*` on a range: an upgrade could change what the policy denies (the profiles' globs are code)
 * while the policy file and its hash stay the same. Pin exact versions and upgrade on purpose.
 */
export function lintPinning(packageJson: unknown): LintFinding[] {
  if (typeof packageJson !== 'object' || packageJson === null) return [];
  const findings: LintFinding[] = [];
  for (const list of DEPENDENCY_LISTS) {
    const deps = (packageJson as Record<string, unknown>)[list];
    if (typeof deps !== 'object' || deps === null) continue;
    for (const [name, range] of Object.entries(deps as Record<string, unknown>)) {
      if (!name.startsWith('@ormai/') || (typeof range === 'string' && EXACT_VERSION.test(range))) continue;
      findings.push({ rule: 'unpinned-ormai', severity: 'error', at: `package.json ${list}.${name}`, message: `${name} is "${String(range)}" in ${list}: pin an exact version (npm install --save-exact) so an upgrade cannot change the policy's meaning unnoticed` });
    }
  }
  return findings;
}
