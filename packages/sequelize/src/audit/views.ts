import { quoteName, type AuditStore } from './tables.js';

/** Error codes that mean a budget, a limit or a timeout stopped the call. */
export const BUDGET_DECISIONS = [
  'scan_budget_exceeded', 'max_rows_exceeded', 'statement_timeout', 'rate_limited', 'step_budget_exceeded', 'budget_unavailable', 'quota_exceeded',
] as const;

/** Actions that change data (the write tools) or run an approved change. */
export const WRITE_ACTIONS = ['db_create', 'db_update', 'db_delete', 'db_bulk_update', 'approvals.execute'] as const;

/** The saved queries, by view suffix: `<tablePrefix>_<suffix>`. See docs/audit-queries.md. */
export const AUDIT_VIEWS = ['accesses', 'denials', 'cross_tenant', 'budget_breaches', 'writes', 'longest_calls', 'common_denials_90d'] as const;
export type AuditViewName = (typeof AUDIT_VIEWS)[number];

export const auditViewName = (store: Pick<AuditStore, 'schema' | 'tablePrefix'>, view: AuditViewName): string =>
  quoteName(store.schema, `${store.tablePrefix}_${view}`);

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** PostgreSQL views; every one keeps `chain` and `at` (epoch ms, indexed) so callers filter by chain and period. */
export function auditViewsSql(store: AuditStore): string[] {
  const r = store.tables.records;
  const atTime = 'to_timestamp(at / 1000.0) AS at_time';
  const principal = 'tenant_id, user_id, envelope::jsonb -> \'roles\' AS roles';
  const bodies: Record<AuditViewName, string> = {
    accesses: `SELECT id, chain, at, ${atTime}, ${principal}, action, model, rows_returned, rows_affected FROM ${r}
      WHERE decision = 'allowed' AND model IS NOT NULL`,
    denials: `SELECT id, chain, at, ${atTime}, decision AS code, ${principal}, action, model FROM ${r} WHERE decision <> 'allowed'`,
    cross_tenant: `SELECT id, chain, at, ${atTime}, ${principal}, action, model, envelope::jsonb ->> 'sessionId' AS session_id,
      envelope::jsonb ->> 'traceId' AS trace_id FROM ${r} WHERE decision = 'tenant_mismatch'`,
    budget_breaches: `SELECT id, chain, at, ${atTime}, decision AS code, ${principal}, action, model, duration_ms FROM ${r}
      WHERE decision IN (${list(BUDGET_DECISIONS)})`,
    // An erased payload is NULL, so its reason reads as NULL.
    writes: `SELECT id, chain, at, ${atTime}, ${principal}, action, model, decision, rows_affected, payload::jsonb ->> 'reason' AS reason,
      approval_id, envelope::jsonb -> 'approvers' AS approvers, erased_at IS NOT NULL AS erased FROM ${r} WHERE action IN (${list(WRITE_ACTIONS)})`,
    longest_calls: `SELECT id, chain, at, ${atTime}, duration_ms, ${principal}, action, model, decision, rows_returned FROM ${r}
      ORDER BY duration_ms DESC`,
    common_denials_90d: `SELECT chain, decision AS code, count(*) AS denials, count(DISTINCT user_id) AS users, count(DISTINCT tenant_id) AS tenants,
      min(at) AS first_at, max(at) AS last_at FROM ${r}
      WHERE decision <> 'allowed' AND at >= (extract(epoch FROM now() - interval '90 days') * 1000)::bigint
      GROUP BY chain, decision ORDER BY denials DESC, code`,
  };
  return AUDIT_VIEWS.map((view) => `CREATE OR REPLACE VIEW ${auditViewName(store, view)} AS ${bodies[view]}`);
}
