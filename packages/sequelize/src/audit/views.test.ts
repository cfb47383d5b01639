import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '@ormai/core';
import type { SequelizeAuditSink } from './sink.js';
import { auditRecord } from './test-support/records.js';
import { openAuditDb, type AuditTestDb } from './test-support/harness.js';

const DAY = 86_400_000;

describe('saved-query views on PostgreSQL', () => {
  let db: AuditTestDb;
  let sink: SequelizeAuditSink;
  const now = Date.now();
  const seed: Record<string, AuditRecord> = {
    query: auditRecord({ at: now - 10 * DAY, action: 'db_query', model: 'Order', userId: 'u1', rowsReturned: 3 }),
    get: auditRecord({ at: now - 5 * DAY, action: 'db_get', model: 'Customer', userId: 'u2', rowsReturned: 1 }),
    crossTenant: auditRecord({ at: now - 4 * DAY, decision: 'tenant_mismatch', model: 'Order', userId: 'u1', rowsReturned: null, sessionId: 'sess-9' }),
    scan: auditRecord({ at: now - 3 * DAY, action: 'db_aggregate', decision: 'scan_budget_exceeded', userId: 'u2', rowsReturned: null }),
    timeout: auditRecord({ at: now - 2 * DAY, decision: 'statement_timeout', tenantId: 'globex', userId: 'u3', durationMs: 5_000, rowsReturned: null }),
    update: auditRecord({
      at: now - DAY, action: 'db_update', model: 'Order', userId: 'u1', rowsReturned: null, rowsAffected: 1, approvalId: 'ap-1', approvers: ['boss'],
      reason: 'refund requested by the customer', subjects: [{ model: 'Customer', id: '5' }],
    }),
    executed: auditRecord({
      at: now - DAY + 1, action: 'approvals.execute', model: 'Order', userId: 'u4', rowsReturned: null, rowsAffected: 2, approvalId: 'ap-2', approvers: ['boss', 'cfo'],
      reason: 'bulk fix for Jane', subjects: [{ model: 'Customer', id: '42' }],
    }),
    oldDenial: auditRecord({ at: now - 200 * DAY, decision: 'field_not_allowed', userId: 'u1' }),
    denial1: auditRecord({ at: now - DAY + 2, decision: 'field_not_allowed', userId: 'u1' }),
    denial2: auditRecord({ at: now - 2 * DAY + 3, decision: 'field_not_allowed', userId: 'u3', tenantId: 'globex' }),
    schema: auditRecord({ at: now - DAY + 4, action: 'db_describe_schema', model: null, rowsReturned: null }),
  };
  const ids = (rows: Array<{ id: string }>) => rows.map((row) => row.id);

  beforeAll(async () => {
    db = await openAuditDb('postgres');
    sink = db.sink();
    await sink.write(Object.values(seed));
    await sink.sealAll();
    await sink.eraseSubject({ model: 'Customer', id: '42' });
  });
  afterAll(() => db?.close());

  const view = (name: string) => db.table(name);
  const since = (days: number) => now - days * DAY;

  it('accesses: who read or changed which model in a period', async () => {
    const rows = await db.rows<{ id: string }>(`SELECT id FROM ${view('accesses')} WHERE chain = $1 AND at >= $2 AND at < $3 ORDER BY at`, [sink.location.chain, since(30), now]);
    expect(ids(rows)).toEqual([seed.query!.id, seed.get!.id, seed.update!.id, seed.executed!.id]);
    const grouped = await db.rows(
      `SELECT tenant_id, user_id, model, count(*)::int AS calls FROM ${view('accesses')} WHERE chain = $1 AND at >= $2 GROUP BY 1, 2, 3 ORDER BY 2, 3`,
      [sink.location.chain, since(7)]);
    expect(grouped).toEqual([
      { tenant_id: 'acme', user_id: 'u1', model: 'Order', calls: 1 },
      { tenant_id: 'acme', user_id: 'u2', model: 'Customer', calls: 1 },
      { tenant_id: 'acme', user_id: 'u4', model: 'Order', calls: 1 },
    ]);
  });

  it('denials by code and principal', async () => {
    const rows = await db.rows(`SELECT code, tenant_id, user_id, count(*)::int AS n FROM ${view('denials')} WHERE chain = $1 AND at >= $2 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [sink.location.chain, since(90)]);
    expect(rows).toEqual([
      { code: 'field_not_allowed', tenant_id: 'acme', user_id: 'u1', n: 1 },
      { code: 'field_not_allowed', tenant_id: 'globex', user_id: 'u3', n: 1 },
      { code: 'scan_budget_exceeded', tenant_id: 'acme', user_id: 'u2', n: 1 },
      { code: 'statement_timeout', tenant_id: 'globex', user_id: 'u3', n: 1 },
      { code: 'tenant_mismatch', tenant_id: 'acme', user_id: 'u1', n: 1 },
    ]);
  });

  it('cross-tenant attempts', async () => {
    const rows = await db.rows<{ id: string; session_id: string; roles: string[] }>(`SELECT * FROM ${view('cross_tenant')} WHERE chain = $1`, [sink.location.chain]);
    expect(rows.map((r) => [r.id, r.session_id, r.roles])).toEqual([[seed.crossTenant!.id, 'sess-9', ['support']]]);
  });

  it('budget breaches and timeouts', async () => {
    const rows = await db.rows<{ id: string; code: string }>(`SELECT id, code FROM ${view('budget_breaches')} WHERE chain = $1 ORDER BY at`, [sink.location.chain]);
    expect(rows).toEqual([{ id: seed.scan!.id, code: 'scan_budget_exceeded' }, { id: seed.timeout!.id, code: 'statement_timeout' }]);
  });

  it('writes with reason and approver (an erased payload has no reason)', async () => {
    const rows = await db.rows(`SELECT id, action, reason, approval_id, approvers, rows_affected::int, erased FROM ${view('writes')} WHERE chain = $1 ORDER BY at`, [sink.location.chain]);
    expect(rows).toEqual([
      { id: seed.update!.id, action: 'db_update', reason: 'refund requested by the customer', approval_id: 'ap-1', approvers: ['boss'], rows_affected: 1, erased: false },
      { id: seed.executed!.id, action: 'approvals.execute', reason: null, approval_id: 'ap-2', approvers: ['boss', 'cfo'], rows_affected: 2, erased: true },
    ]);
  });

  it('longest-running calls', async () => {
    const rows = await db.rows<{ id: string; duration_ms: number }>(`SELECT id, duration_ms FROM ${view('longest_calls')} WHERE chain = $1 LIMIT 2`, [sink.location.chain]);
    expect(rows[0]).toEqual({ id: seed.timeout!.id, duration_ms: 5_000 });
    expect(rows[1]!.duration_ms).toBe(12);
  });

  it('most common denials over the last 90 days', async () => {
    const rows = await db.rows(`SELECT code, denials::int, users::int, tenants::int FROM ${view('common_denials_90d')} WHERE chain = $1`, [sink.location.chain]);
    expect(rows).toEqual([
      { code: 'field_not_allowed', denials: 2, users: 2, tenants: 2 },
      { code: 'scan_budget_exceeded', denials: 1, users: 1, tenants: 1 },
      { code: 'statement_timeout', denials: 1, users: 1, tenants: 1 },
      { code: 'tenant_mismatch', denials: 1, users: 1, tenants: 1 },
    ]);
  });

  it('every SQL example of docs/audit-queries.md runs on these views', async () => {
    const doc = readFileSync(new URL('../../../../docs/audit-queries.md', import.meta.url), 'utf8');
    const examples = [...doc.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1]!);
    expect(examples).toHaveLength(8);
    for (const sql of examples) {
      const bound = sql.replaceAll(':from_ms', String(since(90))).replaceAll(':to_ms', String(now + 1)).replaceAll("'default'", `'${sink.location.chain}'`);
      await expect(db.rows(bound.replaceAll('ormai_audit_', `${db.prefix}_`)), sql).resolves.toBeDefined();
    }
  });
});
