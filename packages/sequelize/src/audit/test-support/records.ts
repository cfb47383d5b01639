import type { AuditRecord } from '@ormai/core';
import { auditRecordFixture, type AuditRecordOverrides } from '@ormai/core/testing';

export type RecordOverrides = AuditRecordOverrides;

export const auditRecord = (overrides: RecordOverrides = {}): AuditRecord => auditRecordFixture(overrides);

export const auditRecords = (count: number, overrides: RecordOverrides = {}): AuditRecord[] => Array.from({ length: count }, () => auditRecord(overrides));
