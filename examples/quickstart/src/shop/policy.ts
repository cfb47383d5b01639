import { DEFAULT_PROD, definePolicy } from '@ormai/core';

/** Refunds above this many cents wait for someone with the finance role. */
export const REFUND_APPROVAL_ABOVE_CENTS = 5_000;

/**
 * What the demo agent may see and do: a PROD policy, readable by an auditor as-is. Reads as PROD gives
 * them; writes only on orders, the way a support desk needs them: a status change or a refund, each with
 * a reason, rate-limited, previewed when it touches many orders, and large refunds approved by finance.
 */
export const shopPolicy = definePolicy({
  profile: DEFAULT_PROD,
  readOnly: false,
  tenantScope: { field: 'tenantId' },
  maskFields: { '*email*': 'email', '*phone*': 'last4' },
  budgets: { maxRows: 25, maxScanRows: 100, statementTimeoutMs: 2_000, maxJoinDepth: 2 },
  models: {
    Customer: { relations: ['orders', 'tickets'] },
    Order: {
      relations: ['customer', 'items'],
      write: {
        update: true,
        bulkUpdate: true,
        writableFields: ['status', 'refundedCents'],
        requireReason: true,
        maxAffectedRows: 25,
        maxWritesPerMinute: 10,
        dryRunAbove: 5,
        approvals: [
          {
            // A refund over the threshold, whether recorded as an amount or by marking a large order refunded.
            name: 'large-refund',
            operations: ['update', 'bulk_update'],
            fieldsChanged: ['refundedCents', 'status'],
            when: {
              or: [
                { field: 'refundedCents', op: 'gt', value: REFUND_APPROVAL_ABOVE_CENTS },
                { and: [{ field: 'status', op: 'eq', value: 'refunded' }, { field: 'totalCents', op: 'gt', value: REFUND_APPROVAL_ABOVE_CENTS }] },
              ],
            },
            approverRoles: ['finance'],
            slaMs: 4 * 60 * 60 * 1_000,
          },
        ],
      },
    },
    OrderItem: { relations: ['product'] },
    Product: { tenantScope: false },
    // Free-text notes hold PII (phones, card numbers): read with it scrubbed, never filtered on; the
    // search_tickets domain tool searches them server-side.
    SupportTicket: { fields: { notes: 'sanitize' }, relations: ['customer'] },
  },
});
