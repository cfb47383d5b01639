import { type AuditRecord } from '@ormai/core';
import { auditRecordFixture, type AuditRecordOverrides } from '@ormai/core/testing';

export type RecordOverrides = AuditRecordOverrides;

/** A valid core AuditRecord: an allowed db_query of acme's u1 at `at` unless overridden. */
export const auditRecord = (overrides: RecordOverrides & { at: number }): AuditRecord => auditRecordFixture({ input: { model: 'Order' }, ...overrides });
