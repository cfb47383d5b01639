/** One lint finding. Errors fail `ormai policy lint` (exit 1); warnings are printed (and fail with --strict). */
export type LintSeverity = 'error' | 'warning';

export type LintRule =
  | 'invalid-policy'
  | 'secret-readable'
  | 'free-text-readable'
  | 'tenant-join'
  | 'unscoped-tenant-data'
  | 'scan-budget'
  | 'join-depth'
  | 'write-without-reason'
  | 'write-rate'
  | 'schema-hidden'
  | 'dev-profile-in-production'
  | 'unpinned-ormai';

export interface LintFinding {
  rule: LintRule;
  severity: LintSeverity;
  /** Where: `Customer.apiToken`, `budgets.maxScanRows`, `package.json`... */
  at: string;
  message: string;
}
