import { BUDGET_DECISIONS, WRITE_ACTIONS, type AuditViewName } from '@ormai/sequelize';

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * The saved-query views of `@ormai/sequelize` (created on PostgreSQL only), rewritten for SQLite: same
 * columns, same rows. JSON columns (`roles`, `approvers`) come back as text here; `runSavedQuery` parses them.
 */
export function sqliteViewBodies(records: string): Record<AuditViewName, string> {
  const atTime = `strftime('%Y-%m-%dT%H:%M:%fZ', at / 1000.0, 'unixepoch') AS at_time`;
  const principal = `tenant_id, user_id, json_extract(envelope, '$.roles') AS roles`;
  return {
    accesses: `SELECT id, chain, at, ${atTime}, ${principal}, action, model, rows_returned, rows_affected FROM ${records}
      WHERE decision = 'allowed' AND model IS NOT NULL`,
    denials: `SELECT id, chain, at, ${atTime}, decision AS code, ${principal}, action, model FROM ${records} WHERE decision <> 'allowed'`,
    cross_tenant: `SELECT id, chain, at, ${atTime}, ${principal}, action, model, json_extract(envelope, '$.sessionId') AS session_id,
      json_extract(envelope, '$.traceId') AS trace_id FROM ${records} WHERE decision = 'tenant_mismatch'`,
    budget_breaches: `SELECT id, chain, at, ${atTime}, decision AS code, ${principal}, action, model, duration_ms FROM ${records}
      WHERE decision IN (${list(BUDGET_DECISIONS)})`,
    writes: `SELECT id, chain, at, ${atTime}, ${principal}, action, model, decision, rows_affected, json_extract(payload, '$.reason') AS reason,
      approval_id, json_extract(envelope, '$.approvers') AS approvers, erased_at IS NOT NULL AS erased FROM ${records} WHERE action IN (${list(WRITE_ACTIONS)})`,
    longest_calls: `SELECT id, chain, at, ${atTime}, duration_ms, ${principal}, action, model, decision, rows_returned FROM ${records}`,
    common_denials_90d: `SELECT chain, decision AS code, count(*) AS denials, count(DISTINCT user_id) AS users, count(DISTINCT tenant_id) AS tenants,
      min(at) AS first_at, max(at) AS last_at FROM ${records}
      WHERE decision <> 'allowed' AND at >= (CAST(strftime('%s', 'now') AS INTEGER) - 90 * 86400) * 1000
      GROUP BY chain, decision`,
  };
}
