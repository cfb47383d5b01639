import type { Budgets, MaskStrategy, Policy } from './policy-schema.js';

export interface PolicyProfile {
  name: Policy['profile'];
  readOnly: boolean;
  requireReason: boolean;
  denyFields: string[];
  maskFields: Record<string, MaskStrategy>;
  budgets: Budgets;
}

const SECRET_GLOBS = ['*password*', '*secret*', '*token*', '*api_key*', '*apikey*', '*private_key*'];
const PII_MASKS: Record<string, MaskStrategy> = { '*email*': 'email', '*phone*': 'last4' };

/** Production: read-only, small budgets, secrets denied, PII masked, reasons required. The base for real deployments. */
export const DEFAULT_PROD: PolicyProfile = Object.freeze({
  name: 'prod',
  readOnly: true,
  requireReason: true,
  denyFields: SECRET_GLOBS,
  maskFields: PII_MASKS,
  budgets: { maxRows: 50, maxScanRows: 10_000, statementTimeoutMs: 2_000, maxJoinDepth: 2 },
});

/** Internal tools and staff agents: same secrets rules, roomier budgets. */
export const DEFAULT_INTERNAL: PolicyProfile = Object.freeze({
  name: 'internal',
  readOnly: false,
  requireReason: true,
  denyFields: SECRET_GLOBS,
  maskFields: PII_MASKS,
  budgets: { maxRows: 200, maxScanRows: 100_000, statementTimeoutMs: 5_000, maxJoinDepth: 3 },
});

/** Local development: generous budgets, no masking; secrets are still denied. Never the base for production. */
export const DEFAULT_DEV: PolicyProfile = Object.freeze({
  name: 'dev',
  readOnly: false,
  requireReason: false,
  denyFields: SECRET_GLOBS,
  maskFields: {},
  budgets: { maxRows: 500, maxScanRows: 1_000_000, statementTimeoutMs: 15_000, maxJoinDepth: 3 },
});

export const PROFILES: Record<Policy['profile'], PolicyProfile> = {
  prod: DEFAULT_PROD,
  internal: DEFAULT_INTERNAL,
  dev: DEFAULT_DEV,
};
