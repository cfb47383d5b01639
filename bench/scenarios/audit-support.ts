import type { AuditRecord, ChainVerification } from '@ormai/core';
import { auditRecordFixture } from '@ormai/core/testing';
import { sequelizeAuditSink, type SequelizeAuditSink, type SequelizeAuditSinkOptions } from '@ormai/sequelize';
import { Sequelize } from 'sequelize';
import { KINDS, SCHEMA, TENANTS } from '../dataset.js';

// What the audit scenarios share: their throwaway tables in the bench schema, sinks on them, synthetic records.

export const AUDIT_PREFIX = 'ormai_bench_audit';
const TABLES = ['records', 'subjects', 'queue', 'chain', 'heads', 'checkpoints'];

/** Drops the audit tables (and with them the saved-query views) and creates them empty, so each measurement starts alike. */
export async function resetAuditTables(sequelize: Sequelize): Promise<void> {
  await sequelize.query(`DROP TABLE IF EXISTS ${TABLES.map((t) => `"${SCHEMA}"."${AUDIT_PREFIX}_${t}"`).join(', ')} CASCADE`);
  await auditSink(sequelize, { autoSeal: false }).migrate();
}

export const auditSink = (sequelize: Sequelize, options: Omit<SequelizeAuditSinkOptions, 'tablePrefix' | 'schema'> = {}): SequelizeAuditSink =>
  sequelizeAuditSink(sequelize, { tablePrefix: AUDIT_PREFIX, schema: SCHEMA, ...options });

/** Another "process": a Sequelize instance with its own pool on the bench schema. */
export const openInstance = (url: string): Sequelize =>
  new Sequelize(url, { logging: false, dialectOptions: { options: `-c search_path=${SCHEMA}` }, pool: { max: 5 } });

/** A valid record (its payload digest matches) shaped like a bench db_query's: sanitized input, 20 rows returned. */
export function syntheticRecord(n: number): AuditRecord {
  return auditRecordFixture({
    input: {
      model: 'Event',
      select: ['id', 'kind', 'amount', 'payload', 'createdAt'],
      where: { field: 'kind', op: 'eq', value: `k${n % KINDS}` },
      orderBy: [{ field: 'id' }],
      limit: 20,
      include: [{ relation: 'notes', select: ['id', 'body'] }],
    },
    durationMs: 2,
    tenantId: `t${n % TENANTS}`,
    userId: 'bench',
    roles: [],
    sessionId: null,
    model: 'Event',
    rowsReturned: 20,
  });
}

/** 'ok (N records)', or where the chain broke: the benchmark then fails (see `assertChain`). */
export const describeChain = (result: ChainVerification): string =>
  result.ok ? `ok (${result.count} records)` : `BROKEN at seq ${result.seq}: ${result.problem} (${result.count} checked)`;

/** A benchmark whose chain does not verify, or does not hold every record it wrote, failed. */
export function assertChain(what: string, result: ChainVerification, expected: number): void {
  if (!result.ok || result.count !== expected) throw new Error(`${what}: chain ${describeChain(result)}, expected ${expected} records`);
}

export const perSecond = (count: number, ms: number): number => Math.round((count / ms) * 1000);
