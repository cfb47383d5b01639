import type { Budgets, MaskStrategy, Policy } from '../spec/policy.js';

export interface PolicyProfile {
  name: Policy['profile'];
  readOnly: boolean;
  requireReason: boolean;
  denyFields: string[];
  maskFields: Record<string, MaskStrategy>;
  budgets: Budgets;
}

/**
 * Denied by every profile, on attribute and column names and on keys inside JSON values (glob.ts
 * says how names are folded and split). Substring globs where no ordinary word contains the term;
 * whole-word globs (`<...>`) where one does: `otp` is in `footprint`, `pin` in `shipping`, `ssn` in
 * `className`, `session` in `sessionCount`.
 */
const SECRET_GLOBS = [
  // Passwords, keys and credentials
  '*password*', '*passwd*', '*pwd*', '*passphrase*', '*passcode*', '*secret*', '*token*', '*credential*',
  '*api_key*', '*apikey*', '*access_key*', '*auth_key*', '*auth_code*', '*private_key*', '*privkey*', '*signing_key*', '*encryption_key*',
  '*mnemonic*', '*seed_phrase*', '<* salt>', '*security_answer*', '*connection_string*', '<* dsn>',
  // `pass` as the last word (`db_pass`, `userPass`): `passport` and `passenger` are other words, and
  // `pass_count` ends in another; a ticket's `seasonPass` is denied too, until the policy allows it.
  '<* pass>',
  // HTTP credentials, as columns or as keys of stored headers: `auth` only as a last word, so `author`,
  // `authType` and `auth_provider` stay readable (`authToken`, `authKey` are caught above).
  '*authorization*', '<* bearer>', '*jwt*', '<* auth>',
  // One-time passwords and second factors
  '<* otp *>', '<* totp *>', '<* hotp *>', '<* mfa *>', '<* 2fa *>', '*two_factor*', '*recovery_code*', '*backup_code*',
  // Session identifiers and cookies
  '<session>', '<sid>', '<* session id>', '<* session key>', '<* cookie*>',
  // Payment and identity numbers
  '*cvv*', '<* cvc *>', '*card_number*', '<* pin *>', '<* ssn *>', '*social_security*', '<* iban* *>',
  // `cc` only as the whole name or with a number: a payment payload's card number. An email's `cc`
  // list is then hidden too (addresses, so better hidden than in clear); `cc_list` stays readable.
  '<cc>', '<* cc num*>', '<* credit card>',
];
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
