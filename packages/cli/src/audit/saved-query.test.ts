import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_VIEWS } from '@ormai/sequelize';
import type { AuditRecord } from '@ormai/core';
import { AuditCommandError } from './errors.js';
import { runSavedQuery } from './saved-query.js';
import { openAuditTables, type AuditTables } from './test-support/audit-tables.js';
import { auditRecord } from './test-support/records.js';

const DAY = 86_400_000;
const now = Date.now();
const at = (daysAgo: number, ms = 0) => now - daysAgo * DAY + ms;

/** One set of records, written to both databases: the SQLite rewrite must answer what the PostgreSQL views answer. */
const seed: Record<string, AuditRecord> = {
  query: auditRecord({ at: at(10), rowsReturned: 3, durationMs: 40 }),
  get: auditRecord({ at: at(5), action: 'db_get', model: 'Customer', userId: 'u2', rowsReturned: 1, durationMs: 7.5 }),
  crossTenant: auditRecord({ at: at(4), decision: 'tenant_mismatch', rowsReturned: null, sessionId: 'sess-9', traceId: 'trace-1' }),
  scan: auditRecord({ at: at(3), action: 'db_aggregate', decision: 'scan_budget_exceeded', userId: 'u2', rowsReturned: null, durationMs: 900 }),
  timeout: auditRecord({ at: at(2), decision: 'statement_timeout', tenantId: 'globex', userId: 'u3', durationMs: 5_000, rowsReturned: null }),
  update: auditRecord({
    at: at(1), action: 'db_update', userId: 'u1', rowsReturned: null, rowsAffected: 1, approvalId: 'apr_1', approvers: ['boss'], reason: 'refund for a damaged parcel',
  }),
  oldDenial: auditRecord({ at: at(200), decision: 'field_not_allowed' }),
  denial: auditRecord({ at: at(1, 5), decision: 'field_not_allowed', tenantId: 'globex', userId: 'u3', roles: [] }),
  schema: auditRecord({ at: at(1, 9), action: 'db_describe_schema', model: null, rowsReturned: null }),
};

describe('saved queries: the PostgreSQL views and their SQLite rewrite', () => {
  let pg: AuditTables;
  let sqlite: AuditTables;

  beforeAll(async () => {
    [pg, sqlite] = await Promise.all([openAuditTables('postgres'), openAuditTables('sqlite')]);
    for (const { sink } of [pg, sqlite]) {
      await sink.write(Object.values(seed));
      await sink.sealAll();
    }
  });
  afterAll(async () => {
    await pg?.close();
    await sqlite?.close();
  });

  it.each(AUDIT_VIEWS)('%s answers the same rows on both', async (view) => {
    const [onPg, onSqlite] = await Promise.all([runSavedQuery(pg.source, view), runSavedQuery(sqlite.source, view)]);
    expect(onPg.length).toBeGreaterThan(0);
    expect(onSqlite).toEqual(onPg);
  });

  it('returns typed values: numbers, JSON arrays, booleans, ISO times', async () => {
    for (const { source } of [pg, sqlite]) {
      const [write] = await runSavedQuery(source, 'writes');
      expect(write).toEqual({
        id: seed.update!.id, chain: 'review', at: seed.update!.at, at_time: new Date(seed.update!.at).toISOString(), tenant_id: 'acme', user_id: 'u1',
        roles: ['support'], action: 'db_update', model: 'Order', decision: 'allowed', rows_affected: 1, reason: 'refund for a damaged parcel',
        approval_id: 'apr_1', approvers: ['boss'], erased: false,
      });
      const [common] = await runSavedQuery(source, 'common_denials_90d');
      // The 200-day-old denial is outside the view's 90 days.
      expect(common).toMatchObject({ code: 'field_not_allowed', denials: 1, users: 1, tenants: 1, first_at: seed.denial!.at });
    }
  });

  it('filters by period and tenant, orders and limits', async () => {
    for (const { source } of [pg, sqlite]) {
      const ids = async (view: string, filters: object) => (await runSavedQuery(source, view, filters)).map((r) => r.id);
      expect(await ids('denials', { since: at(3), until: at(1) })).toEqual([seed.timeout!.id, seed.scan!.id]);
      expect(await ids('denials', { tenantId: 'globex' })).toEqual([seed.denial!.id, seed.timeout!.id]);
      expect(await ids('longest_calls', { limit: 2 })).toEqual([seed.timeout!.id, seed.scan!.id]);
      expect(await ids('cross_tenant', { since: at(3) })).toEqual([]);
    }
  });

  it('reads only its own chain', async () => {
    const other = { ...sqlite.source, chain: 'another' };
    expect(await runSavedQuery(other, 'accesses')).toEqual([]);
  });

  it('refuses unknown queries, bad limits and filters on the grouped view', async () => {
    const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => (error instanceof AuditCommandError ? error.code : error));
    expect(await refusal(runSavedQuery(sqlite.source, 'everything'))).toBe('unknown_query');
    expect(await refusal(runSavedQuery(sqlite.source, 'denials', { limit: 0 }))).toBe('invalid_option');
    expect(await refusal(runSavedQuery(sqlite.source, 'common_denials_90d', { tenantId: 'acme' }))).toBe('invalid_option');
  });
});
