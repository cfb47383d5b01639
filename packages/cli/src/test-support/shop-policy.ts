import { DEFAULT_PROD, type PolicySpec } from '@ormai/core';

/**
 * The quickstart shop's policy (examples/quickstart/src/shop/policy.ts) with writes opened the way a
 * support agent would need them: reasons required, rate limits, approval gates on high-stakes changes.
 * A fresh object on every call: tests break one copy without touching the others.
 */
export function shopPolicySpec(): PolicySpec {
  return {
    profile: DEFAULT_PROD,
    readOnly: false,
    tenantScope: { field: 'tenantId' },
    maskFields: { '*email*': 'email', '*phone*': 'last4' },
    budgets: { maxRows: 25, maxScanRows: 100, statementTimeoutMs: 2_000, maxJoinDepth: 2 },
    audit: { subjects: { Customer: { references: { Order: 'customerId', SupportTicket: 'customerId' } } } },
    models: {
      Customer: {
        relations: ['orders', 'tickets'],
        write: { update: true, writableFields: ['name', 'city'], requireReason: true, maxWritesPerMinute: 20 },
      },
      Order: {
        relations: ['customer', 'items'],
        write: {
          update: true,
          bulkUpdate: true,
          writableFields: ['status', 'totalCents'],
          requireReason: true,
          maxAffectedRows: 50,
          maxWritesPerMinute: 20,
          dryRunAbove: 10,
          approvals: [
            { name: 'refund', operations: ['update', 'bulk_update'], fieldsChanged: ['status'], when: { field: 'status', op: 'eq', value: 'refunded' }, approverRoles: ['finance'], slaMs: 3_600_000 },
          ],
        },
      },
      OrderItem: { relations: ['product'] },
      Product: { tenantScope: false },
      // Free-text notes may hold PII: denied rather than exposed.
      SupportTicket: {
        fields: { notes: 'deny' },
        relations: ['customer'],
        write: { create: true, update: true, delete: true, writableFields: ['customerId', 'subject', 'status'], requireReason: true, maxWritesPerMinute: 20 },
      },
    },
  };
}
