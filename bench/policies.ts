import { definePolicy, DEFAULT_PROD } from '@ormai/core';

/** The read benchmark's policy: the PROD profile (scan budget 10,000 rows, 2 s statement timeout, redaction, reasons), tenant-scoped. */
export const readPolicy = definePolicy({
  profile: DEFAULT_PROD,
  tenantScope: { field: 'tenantId' },
  models: { Event: { relations: ['notes', 'tags'] }, Note: {}, Tag: {}, SkewedEvent: {} },
});

/**
 * Scale: each size's budget is 1% of its table, below one tenant's share (2%), so the unbounded query is
 * refused at every size while one tenant's events of one kind (0.2%) stay allowed.
 */
export const scalePolicy = definePolicy({
  profile: DEFAULT_PROD,
  tenantScope: { field: 'tenantId' },
  models: { Event10k: { budgets: { maxScanRows: 100 } }, Event100k: { budgets: { maxScanRows: 1_000 } }, Event: { budgets: { maxScanRows: 10_000 } } },
});

/** Writes: PROD with writes allowed on accounts: a reason on every write, and a (generous) per-minute rate limit. */
export const writePolicy = definePolicy({
  profile: DEFAULT_PROD,
  readOnly: false,
  tenantScope: { field: 'tenantId' },
  models: { Account: { write: { update: true, writableFields: ['balance'], requireReason: true, maxWritesPerMinute: 1_000_000 } } },
});
