import { QueryTypes } from 'sequelize';
import { fromStoredRecord, type AuditRecord, type StoredAuditRecord } from '@ormai/core';
import type { AgentApp } from './agent-app';

/**
 * The latest audit records of one tenant, newest first, read from the SQL sink's records table (its
 * `tenant_id, at` index serves this query). Queued records are flushed first, so the page shows the call
 * that was just made.
 */
export async function tenantAuditRecords({ ormai, auditSink }: AgentApp, tenantId: string, limit = 100): Promise<AuditRecord[]> {
  await ormai.audit.flush();
  const { sequelize, chain, tablePrefix } = auditSink.location;
  const rows = await sequelize.query<StoredAuditRecord>(
    `SELECT id, envelope, payload FROM "${tablePrefix}_records" WHERE chain = $1 AND tenant_id = $2 ORDER BY at DESC, id LIMIT $3`,
    { bind: [chain, tenantId, limit], type: QueryTypes.SELECT },
  );
  return rows.map(fromStoredRecord);
}
