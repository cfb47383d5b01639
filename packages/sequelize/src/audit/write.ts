import { recordDigest, toStoredRecord, type AuditRecord, type StoredAuditRecord } from '@ormai/core';
import type { Transaction } from 'sequelize';
import { chunks, execute, placeholders, selectRows } from './sql.js';
import type { AuditStore } from './tables.js';

const RECORD_COLUMNS = [
  'id', 'chain', 'at', 'duration_ms', 'action', 'tenant_id', 'user_id', 'decision', 'model', 'rows_returned', 'rows_affected', 'approval_id', 'envelope', 'payload',
] as const;

// Rows per INSERT: 14 values each stays far below both drivers' parameter limits.
const ROWS_PER_INSERT = 200;

function recordValues(store: AuditStore, record: AuditRecord, stored: StoredAuditRecord): unknown[] {
  return [
    record.id, store.chain, record.at, record.durationMs, record.action, record.tenantId, record.userId, record.decision, record.model,
    record.rowsReturned, record.rowsAffected, record.approvalId, stored.envelope, stored.payload,
  ];
}

/** One row per distinct subject: the DSAR index. */
function subjectRows(record: AuditRecord): string[][] {
  const seen = new Map<string, string[]>();
  for (const s of record.payload.subjects) seen.set(JSON.stringify([s.model, String(s.id)]), [record.id, s.model, String(s.id)]);
  return [...seen.values()];
}

async function insertRows(store: AuditStore, table: string, columns: readonly string[], rows: unknown[][], transaction: Transaction): Promise<void> {
  for (const part of chunks(rows, ROWS_PER_INSERT)) {
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${placeholders(part.length, columns.length)}`;
    await execute(store, sql, part.flat(), transaction);
  }
}

/**
 * Inserts the record rows, skipping ids already stored; returns the ids this statement inserted.
 * ON CONFLICT waits for a concurrent writer of the same id to finish, so two writers never both claim it.
 * The leading comment keeps Sequelize's SQLite dialect from running the statement through sqlite3's
 * `run`, which drops the RETURNING rows (it does so for any SQL starting with "INSERT INTO").
 */
async function insertNewRecords(store: AuditStore, records: readonly AuditRecord[], stored: readonly StoredAuditRecord[], transaction: Transaction): Promise<Set<string>> {
  const inserted = new Set<string>();
  const rows = records.map((r, i) => recordValues(store, r, stored[i]!));
  for (const part of chunks(rows, ROWS_PER_INSERT)) {
    const sql = `/* new records */ INSERT INTO ${store.tables.records} (${RECORD_COLUMNS.join(', ')}) VALUES ${placeholders(part.length, RECORD_COLUMNS.length)}
      ON CONFLICT (id) DO NOTHING RETURNING id`;
    for (const row of await selectRows<{ id: string }>(store, sql, part.flat(), transaction)) inserted.add(row.id);
  }
  return inserted;
}

/**
 * Stores records, their subject rows and their place in the sealing queue, inside `transaction`.
 * Idempotent by record id: the audit queue retries a batch whose write rejected, though that write may
 * have committed, so a record already stored (in any state: queued, sealed, erased) is left alone.
 */
export async function insertRecords(store: AuditStore, records: readonly AuditRecord[], transaction: Transaction): Promise<void> {
  if (records.length === 0) return;
  const stored = records.map(toStoredRecord);
  const inserted = await insertNewRecords(store, records, stored, transaction);
  // In the batch's order, not RETURNING's (the queue order is the chain order); an id twice in the batch counts once.
  const fresh = records.flatMap((record, i) => (inserted.delete(record.id) ? [{ record, stored: stored[i]! }] : []));
  await insertRows(store, store.tables.subjects, ['record_id', 'model', 'subject_id'], fresh.flatMap((f) => subjectRows(f.record)), transaction);
  const queued = fresh.map((f) => [store.chain, f.stored.id, recordDigest(f.stored)]);
  await insertRows(store, store.tables.queue, ['chain', 'record_id', 'digest'], queued, transaction);
}
