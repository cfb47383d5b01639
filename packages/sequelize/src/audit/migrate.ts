import { advisoryLock, inOwnTransaction } from './transactions.js';
import type { AuditStore } from './tables.js';
import { auditViewsSql } from './views.js';

/** Column types that differ between the dialects. */
const TYPES = {
  postgres: { int: 'BIGINT', real: 'DOUBLE PRECISION', serial: 'BIGSERIAL PRIMARY KEY' },
  sqlite: { int: 'INTEGER', real: 'REAL', serial: 'INTEGER PRIMARY KEY AUTOINCREMENT' },
} as const;

/** The audit tables and their indexes, idempotent (IF NOT EXISTS); on PostgreSQL also the saved-query views. */
export function auditTablesSql(store: AuditStore): string[] {
  const { int, real, serial } = TYPES[store.dialect];
  const t = store.tables;
  const index = (table: string, name: string, columns: string) =>
    `CREATE INDEX IF NOT EXISTS "${store.tablePrefix}_${name}" ON ${table} (${columns})`;
  return [
    ...(store.schema ? [`CREATE SCHEMA IF NOT EXISTS "${store.schema}"`] : []),
    `CREATE TABLE IF NOT EXISTS ${t.records} (
      id TEXT PRIMARY KEY, chain TEXT NOT NULL, at ${int} NOT NULL, duration_ms ${real} NOT NULL, action TEXT NOT NULL,
      tenant_id TEXT, user_id TEXT, decision TEXT NOT NULL, model TEXT, rows_returned ${int}, rows_affected ${int},
      approval_id TEXT, envelope TEXT NOT NULL, payload TEXT, erased_at ${int})`,
    // One index per saved query: a period alone, per tenant, per principal, per decision, per model.
    index(t.records, 'records_at', 'at'),
    index(t.records, 'records_tenant_at', 'tenant_id, at'),
    index(t.records, 'records_user_at', 'user_id, at'),
    index(t.records, 'records_decision_at', 'decision, at'),
    index(t.records, 'records_action_model_at', 'action, model, at'),
    index(t.records, 'records_duration', 'duration_ms'),
    `CREATE TABLE IF NOT EXISTS ${t.subjects} (record_id TEXT NOT NULL, model TEXT NOT NULL, subject_id TEXT NOT NULL, PRIMARY KEY (record_id, model, subject_id))`,
    index(t.subjects, 'subjects_subject', 'model, subject_id'),
    `CREATE TABLE IF NOT EXISTS ${t.queue} (pos ${serial}, chain TEXT NOT NULL, record_id TEXT NOT NULL, digest TEXT NOT NULL)`,
    index(t.queue, 'queue_chain_pos', 'chain, pos'),
    `CREATE TABLE IF NOT EXISTS ${t.chain} (
      chain TEXT NOT NULL, seq ${int} NOT NULL, record_id TEXT NOT NULL UNIQUE, digest TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
      PRIMARY KEY (chain, seq))`,
    `CREATE TABLE IF NOT EXISTS ${t.heads} (chain TEXT PRIMARY KEY, seq ${int} NOT NULL, hash TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${t.checkpoints} (
      chain TEXT NOT NULL, seq ${int} NOT NULL, count ${int} NOT NULL, head_hash TEXT NOT NULL, at ${int} NOT NULL, signature TEXT NOT NULL,
      PRIMARY KEY (chain, seq))`,
    ...(store.dialect === 'postgres' ? auditViewsSql(store) : []),
  ];
}

/** Creates what is missing. On PostgreSQL in one transaction under a lock, so instances starting together do not race. */
export async function migrateAuditTables(store: AuditStore): Promise<void> {
  await inOwnTransaction(store, async (transaction) => {
    if (store.dialect === 'postgres') await advisoryLock(store, 'migrate', transaction);
    for (const sql of auditTablesSql(store)) await store.sequelize.query(sql, { transaction });
  });
}
