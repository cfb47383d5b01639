import { signCheckpoint, verifyAuditChain, type AuditEnvelope, type ChainCheckpoint } from '@ormai/core';
import type { Sequelize } from 'sequelize';
import { writeArchiveFile, type ArchiveEntry } from './archive-file.js';
import { insertCheckpoint, readLatestCheckpoint } from './checkpoints.js';
import { AuditStoreError } from './errors.js';
import { chunks, execute, inList, selectRows } from './sql.js';
import { auditStore, type AuditLocation, type AuditStore } from './tables.js';
import { advisoryLock, inOwnTransaction } from './transactions.js';

export interface ArchiveSegmentOptions {
  /** Epoch ms: only records that started before it are archived. */
  before: number;
  /** The archive to create (gzip JSON lines); an existing file is never overwritten. */
  file: string;
  /** The audit key: checks the previous checkpoint and signs the new one. */
  key: Uint8Array;
  /** Most links per archive. Default 10,000. */
  maxRecords?: number | undefined;
  /** When the target is a Sequelize instance: the sink's chain, tablePrefix and schema (defaults as the sink's). */
  chain?: string | undefined;
  tablePrefix?: string | undefined;
  schema?: string | undefined;
}

export interface ArchiveSegmentResult {
  /** Links (and records) moved to the archive; 0 when nothing was old enough (no file is written). */
  archived: number;
  checkpoint: ChainCheckpoint | null;
  file: string | null;
}

interface SegmentRow {
  seq: unknown;
  record_id: string;
  digest: string;
  prev_hash: string;
  hash: string;
  id: string | null;
  envelope: string | null;
  payload: string | null;
}

async function readSegment(store: AuditStore, afterSeq: number, before: number, limit: number): Promise<ArchiveEntry[]> {
  const { chain, records } = store.tables;
  const rows = await selectRows<SegmentRow>(store,
    `SELECT c.seq, c.record_id, c.digest, c.prev_hash, c.hash, r.id, r.envelope, r.payload FROM ${chain} c LEFT JOIN ${records} r ON r.id = c.record_id
     WHERE c.chain = $1 AND c.seq > $2 ORDER BY c.seq LIMIT $3`, [store.chain, afterSeq, limit]);
  const entries: ArchiveEntry[] = [];
  for (const row of rows) {
    if (row.id === null || row.envelope === null) throw new AuditStoreError('chain_broken', `record of link ${String(row.seq)} is missing: verify the chain`);
    if ((JSON.parse(row.envelope) as AuditEnvelope).at >= before) break;
    entries.push({
      link: { seq: Number(row.seq), recordId: row.record_id, digest: row.digest, prevHash: row.prev_hash, hash: row.hash },
      record: { id: row.id, envelope: row.envelope, payload: row.payload },
    });
  }
  return entries;
}

async function deleteSegment(store: AuditStore, previous: ChainCheckpoint | null, checkpoint: ChainCheckpoint, recordIds: string[]): Promise<void> {
  await inOwnTransaction(store, async (transaction) => {
    if (store.dialect === 'postgres') await advisoryLock(store, 'archive', transaction);
    const latest = await readLatestCheckpoint(store, transaction);
    if (latest?.seq !== previous?.seq) throw new AuditStoreError('concurrent_archive', 'another retention run archived this segment first; discard this archive');
    await insertCheckpoint(store, checkpoint, transaction);
    for (const ids of chunks(recordIds, 1000)) {
      await execute(store, `DELETE FROM ${store.tables.subjects} WHERE record_id IN (${inList(ids.length)})`, ids, transaction);
      await execute(store, `DELETE FROM ${store.tables.records} WHERE id IN (${inList(ids.length)})`, ids, transaction);
    }
    await execute(store, `DELETE FROM ${store.tables.chain} WHERE chain = $1 AND seq > $2 AND seq <= $3`, [store.chain, previous?.seq ?? 0, checkpoint.seq], transaction);
  });
}

/**
 * Retention: moves the oldest sealed links (a contiguous prefix whose records all started before
 * `before`) with their records to a gzip JSON-lines archive ending in a signed checkpoint, fsyncs it,
 * then records the checkpoint and deletes those rows in one transaction. The remaining chain verifies
 * from the checkpoint; the archive verifies on its own (`verifyAuditArchive`). A segment that does not
 * verify is not archived.
 */
export async function archiveAuditSegment(target: { location: AuditLocation } | Sequelize, options: ArchiveSegmentOptions): Promise<ArchiveSegmentResult> {
  const store = auditStore('location' in target ? target.location : {
    sequelize: target, chain: options.chain ?? 'default', tablePrefix: options.tablePrefix ?? 'ormai_audit', schema: options.schema,
  });
  const previous = await readLatestCheckpoint(store);
  const entries = await readSegment(store, previous?.seq ?? 0, options.before, options.maxRecords ?? 10_000);
  if (entries.length === 0) return { archived: 0, checkpoint: null, file: null };
  const records = new Map(entries.map((entry) => [entry.record.id, entry.record]));
  const check = verifyAuditChain({ links: entries.map((entry) => entry.link), record: (id) => records.get(id), checkpoint: previous, key: options.key });
  if (!check.ok) throw new AuditStoreError('chain_broken', `the segment does not verify (${check.problem} at ${check.seq}): nothing archived`);
  const last = entries[entries.length - 1]!.link;
  const checkpoint = signCheckpoint(options.key, { chain: store.chain, seq: last.seq, count: (previous?.count ?? 0) + entries.length, headHash: last.hash, at: Date.now() });
  await writeArchiveFile(options.file, { previous, entries, checkpoint });
  await deleteSegment(store, previous, checkpoint, entries.map((entry) => entry.record.id));
  return { archived: entries.length, checkpoint, file: options.file };
}
