import { WRITE_ACTIONS } from '@ormai/sequelize';
import { jsonText, selectRows, type AuditSource } from '../audit/audit-source.js';
import { APPROVAL_ACTIONS, type ApprovalEventRecord, type ApprovalRequestRecord } from './approvals.js';
import type { DenialByPrincipal, DenialCount, LongCall, PolicyHashSeen } from './review-data.js';

/** Epoch ms; `since` inclusive, `until` exclusive. */
export interface Period {
  since: number;
  until: number;
}

export const LONGEST_CALLS = 10;
export const DENYING_PRINCIPALS = 20;
/** Writes listed at most; flags still cover these only, so the report says when it was cut. */
export const MAX_WRITES = 5_000;

/** A gate, not a refusal: approval requests have a section of their own. */
const NOT_DENIALS = ['allowed', 'approval_required'];

const str = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const iso = (value: unknown): string => new Date(Number(value)).toISOString();
const list = (values: readonly string[], first: number) => values.map((_, i) => `$${first + i}`).join(', ');

/** Reads the review's facts from the records table; every query is bounded to the chain and the period. */
export class ReviewQueries {
  constructor(
    private readonly source: AuditSource,
    private readonly period: Period,
  ) {}

  /** `{records}` is the records table, `{period}` the chain-and-period condition on $1..$3; `bind` continues at $4. */
  private rows(sql: string, bind: unknown[] = []): Promise<Array<Record<string, unknown>>> {
    const { records } = this.source;
    return selectRows(this.source, sql.replaceAll('{records}', records).replaceAll('{period}', 'chain = $1 AND at >= $2 AND at < $3'), [
      this.source.chain, this.period.since, this.period.until, ...bind,
    ]);
  }

  async totals(): Promise<{ calls: number; denials: number; writes: number; approvalRequests: number }> {
    const [row] = await this.rows(
      `SELECT count(*) AS calls,
        sum(CASE WHEN decision NOT IN (${list(NOT_DENIALS, 4)}) THEN 1 ELSE 0 END) AS denials,
        sum(CASE WHEN action IN (${list(WRITE_ACTIONS, 4 + NOT_DENIALS.length)}) AND decision = 'allowed' THEN 1 ELSE 0 END) AS writes,
        sum(CASE WHEN decision = 'approval_required' THEN 1 ELSE 0 END) AS approval_requests
       FROM {records} WHERE {period}`,
      [...NOT_DENIALS, ...WRITE_ACTIONS],
    );
    return { calls: num(row?.calls) ?? 0, denials: num(row?.denials) ?? 0, writes: num(row?.writes) ?? 0, approvalRequests: num(row?.approval_requests) ?? 0 };
  }

  async denialsByCode(): Promise<DenialCount[]> {
    const rows = await this.rows(
      `SELECT decision AS code, count(*) AS n, count(DISTINCT user_id) AS users FROM {records}
       WHERE {period} AND decision NOT IN (${list(NOT_DENIALS, 4)}) GROUP BY decision ORDER BY n DESC, code`,
      NOT_DENIALS,
    );
    return rows.map((r) => ({ code: String(r.code), count: Number(r.n), users: Number(r.users) }));
  }

  async denialsByPrincipal(): Promise<DenialByPrincipal[]> {
    const rows = await this.rows(
      `SELECT decision AS code, tenant_id, user_id, count(*) AS n FROM {records}
       WHERE {period} AND decision NOT IN (${list(NOT_DENIALS, 4)}) GROUP BY decision, tenant_id, user_id ORDER BY n DESC, code, user_id LIMIT ${DENYING_PRINCIPALS}`,
      NOT_DENIALS,
    );
    return rows.map((r) => ({ code: String(r.code), tenantId: str(r.tenant_id), userId: str(r.user_id), count: Number(r.n) }));
  }

  async longestCalls(): Promise<LongCall[]> {
    const rows = await this.rows(
      `SELECT id, at, duration_ms, action, model, decision, tenant_id, user_id FROM {records} WHERE {period} ORDER BY duration_ms DESC, id LIMIT ${LONGEST_CALLS}`,
    );
    return rows.map((r) => ({
      id: String(r.id), at: iso(r.at), durationMs: Number(r.duration_ms), action: String(r.action), model: str(r.model),
      decision: String(r.decision), tenantId: str(r.tenant_id), userId: str(r.user_id),
    }));
  }

  /** The write tools' and approved executions' records, oldest first, with the reason read from the payload. */
  async writes(): Promise<Array<Record<string, unknown>>> {
    const reason = jsonText(this.source, 'payload', 'reason');
    return this.rows(
      `SELECT id, at, action, model, decision, tenant_id, user_id, rows_affected, ${reason} AS reason, erased_at, approval_id FROM {records}
       WHERE {period} AND action IN (${list(WRITE_ACTIONS, 4)}) ORDER BY at, id LIMIT ${MAX_WRITES + 1}`,
      [...WRITE_ACTIONS],
    );
  }

  async approvalRequests(): Promise<ApprovalRequestRecord[]> {
    const rows = await this.rows(
      `SELECT approval_id, at, action, model, tenant_id, user_id FROM {records} WHERE {period} AND decision = 'approval_required' AND approval_id IS NOT NULL`,
    );
    return rows.map((r) => ({ approvalId: String(r.approval_id), at: Number(r.at), action: String(r.action), model: str(r.model), tenantId: str(r.tenant_id), userId: str(r.user_id) }));
  }

  /** Decisions on requests of the period: from its start to now (a request near the end is decided after it). */
  async approvalEvents(): Promise<ApprovalEventRecord[]> {
    const rows = await selectRows(
      this.source,
      `SELECT approval_id, at, action, decision FROM ${this.source.records}
       WHERE chain = $1 AND at >= $2 AND approval_id IS NOT NULL AND action IN (${list(APPROVAL_ACTIONS, 3)})`,
      [this.source.chain, this.period.since, ...APPROVAL_ACTIONS],
    );
    return rows.map((r) => ({ approvalId: String(r.approval_id), at: Number(r.at), action: r.action as ApprovalEventRecord['action'], decision: String(r.decision) }));
  }

  async policyHashes(currentHash: string): Promise<PolicyHashSeen[]> {
    const hash = jsonText(this.source, 'envelope', 'policyHash');
    const rows = await this.rows(`SELECT ${hash} AS hash, count(*) AS n, min(at) AS first_at, max(at) AS last_at FROM {records} WHERE {period} GROUP BY 1 ORDER BY first_at`);
    return rows.map((r) => ({ hash: String(r.hash), calls: Number(r.n), firstAt: iso(r.first_at), lastAt: iso(r.last_at), current: r.hash === currentHash }));
  }
}
