import { fromStoredRecord, type AuditRecord, type SubjectRef } from '@ormai/core';
import { chunks, execute, inList, selectRows } from './sql.js';
import type { AuditStore } from './tables.js';
import { inOwnTransaction } from './transactions.js';
import { RECORD_SELECT, toStored, type RecordRow } from './verify.js';

const prefixed = (alias: string, columns: string) => columns.split(', ').map((c) => `${alias}.${c}`).join(', ');

/** Every record of this chain whose call returned or changed the subject's rows, oldest first (through the subjects index). */
export async function subjectAccess(store: AuditStore, subject: SubjectRef): Promise<AuditRecord[]> {
  const { records, subjects } = store.tables;
  const rows = await selectRows<RecordRow>(store,
    `SELECT ${prefixed('r', RECORD_SELECT)} FROM ${subjects} s JOIN ${records} r ON r.id = s.record_id
     WHERE s.model = $1 AND s.subject_id = $2 AND r.chain = $3 ORDER BY r.at, r.id`, [subject.model, String(subject.id), store.chain]);
  return rows.map((row) => fromStoredRecord(toStored(row)));
}

/**
 * Removes the payloads (input, reason, subject refs) of the subject's records and the subject's own rows
 * of the index, in one transaction. Other subjects' rows stay: a record that also touched Bob still
 * answers Bob's request (with its payload erased). Envelopes and links stay: the chain covers the payload
 * only through the digest in the envelope, so it still verifies. Returns how many records were erased.
 */
export async function eraseSubject(store: AuditStore, subject: SubjectRef, now = Date.now()): Promise<number> {
  const { records, subjects } = store.tables;
  const key = [subject.model, String(subject.id)];
  return inOwnTransaction(store, async (transaction) => {
    const found = await selectRows<{ id: string }>(store,
      `SELECT r.id FROM ${subjects} s JOIN ${records} r ON r.id = s.record_id WHERE s.model = $1 AND s.subject_id = $2 AND r.chain = $3`,
      [...key, store.chain], transaction);
    const ids = found.map((row) => row.id);
    for (const part of chunks(ids, 1000)) {
      // A record erased before (through another of its subjects) keeps its first erasure time.
      await execute(store, `UPDATE ${records} SET payload = NULL, erased_at = COALESCE(erased_at, $1) WHERE id IN (${inList(part.length, 2)})`, [now, ...part], transaction);
      await execute(store, `DELETE FROM ${subjects} WHERE model = $1 AND subject_id = $2 AND record_id IN (${inList(part.length, 3)})`, [...key, ...part], transaction);
    }
    return ids.length;
  });
}
