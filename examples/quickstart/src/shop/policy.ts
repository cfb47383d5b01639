import { DEFAULT_PROD, definePolicy } from '@ormai/core';

/** What the demo agent may see: a PROD policy, readable by an auditor as-is. */
export const shopPolicy = definePolicy({
  profile: DEFAULT_PROD,
  tenantScope: { field: 'tenantId' },
  maskFields: { '*email*': 'email', '*phone*': 'last4' },
  budgets: { maxRows: 25, maxScanRows: 100, statementTimeoutMs: 2_000, maxJoinDepth: 2 },
  models: {
    Customer: { relations: ['orders', 'tickets'] },
    Order: { relations: ['customer', 'items'] },
    OrderItem: { relations: ['product'] },
    Product: { tenantScope: false },
    // Free-text notes may hold PII: denied rather than exposed.
    SupportTicket: { fields: { notes: 'deny' }, relations: ['customer'] },
  },
});
