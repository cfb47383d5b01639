import { fromStoredRecord, type AuditRecord, type SubjectQuery } from '@ormai/core';
import { chunks, execute, inList, selectRows } from './sql.js';
import type { AuditStore } from './tables.js';
import { inOwnTransaction, readOutsideTransaction } from './transactions.js';
import { RECORD_SELECT, toStored, type RecordRow } from './verify.js';

const prefixed = (alias: string, columns: string) => columns.split(', ').map((c) => `${alias}.${c}`).join(', ');

/** The subject's index rows joined to this chain's records (`r`), narrowed to one tenant when the query names one. */
function subjectRecordsSql(store: AuditStore, subject: SubjectQuery, columns: string): { sql: string; bind: unknown[] } {
  const { records, subjects } = store.tables;
  const bind: unknown[] = [subject.model, String(subject.id), store.chain];
  let tenant = '';
  if (subject.tenantId === null) tenant = ' AND r.tenant_id IS NULL';
  else if (subject.tenantId !== undefined) tenant = ` AND r.tenant_id = $${bind.push(subject.tenantId)}`;
  return { sql: `SELECT ${columns} FROM ${subjects} s JOIN ${records} r ON r.id = s.record_id WHERE s.model = $1 AND s.subject_id = $2 AND r.chain = $3${tenant}`, bind };
}

/** Every record of this chain whose call returned or changed the subject's rows (of the query's tenant, when given), oldest first. */
export function subjectAccess(store: AuditStore, subject: SubjectQuery): Promise<AuditRecord[]> {
  const { sql, bind } = subjectRecordsSql(store, subject, prefixed('r', RECORD_SELECT));
  return readOutsideTransaction(store, async () => {
    const rows = await selectRows<RecordRow>(store, `${sql} ORDER BY r.at, r.id`, bind);
    return rows.map((row) => fromStoredRecord(toStored(row)));
  });
}

/**
 * Removes the payloads (input, reason, subject refs) of the subject's records and the subject's own rows
 * of the index, in one transaction. Other subjects' rows stay: a record that also touched Bob still
 * answers Bob's request (with its payload erased). Envelopes and links stay: the chain covers the payload
 * only through the digest in the envelope, so it still verifies. Returns how many records were erased.
 */
export async function eraseSubject(store: AuditStore, subject: SubjectQuery, now = Date.now()): Promise<number> {
  const { records, subjects } = store.tables;
  const key = [subject.model, String(subject.id)];
  const { sql, bind } = subjectRecordsSql(store, subject, 'r.id');
  return inOwnTransaction(store, async (transaction) => {
    const ids = (await selectRows<{ id: string }>(store, sql, bind, transaction)).map((row) => row.id);
    for (const part of chunks(ids, 1000)) {
      // A record erased before (through another of its subjects) keeps its first erasure time.
      await execute(store, `UPDATE ${records} SET payload = NULL, erased_at = COALESCE(erased_at, $1) WHERE id IN (${inList(part.length, 2)})`, [now, ...part], transaction);
      await execute(store, `DELETE FROM ${subjects} WHERE model = $1 AND subject_id = $2 AND record_id IN (${inList(part.length, 3)})`, [...key, ...part], transaction);
    }
    return ids.length;
  });
}
