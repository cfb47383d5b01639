import { randomBytes } from 'node:crypto';
import { signCheckpoint, verifyAuditChain, type AuditEnvelope, type ChainCheckpoint, type ChainLink, type ChainVerification, type StoredAuditRecord } from '@ormai/core';
import { readLatestCheckpoint } from './checkpoints.js';
import { readHead } from './seal.js';
import { chunks, inList, selectRows, toNullableNumber, toNumber } from './sql.js';
import type { AuditStore } from './tables.js';

const PAGE = 1000;

export interface RecordRow {
  id: string;
  at: unknown;
  duration_ms: unknown;
  action: string;
  tenant_id: string | null;
  user_id: string | null;
  decision: string;
  model: string | null;
  rows_returned: unknown;
  rows_affected: unknown;
  approval_id: string | null;
  envelope: string;
  payload: string | null;
}

interface LinkRow {
  seq: unknown;
  record_id: string;
  digest: string;
  prev_hash: string;
  hash: string;
}

const toLink = (row: LinkRow): ChainLink => ({ seq: toNumber(row.seq), recordId: row.record_id, digest: row.digest, prevHash: row.prev_hash, hash: row.hash });
export const toStored = (row: RecordRow): StoredAuditRecord => ({ id: row.id, envelope: row.envelope, payload: row.payload });

/** The indexed columns are copies of envelope fields, for the saved queries: an edited copy is an edited record. */
export function columnsMatchEnvelope(row: RecordRow): boolean {
  let envelope: AuditEnvelope;
  try {
    envelope = JSON.parse(row.envelope) as AuditEnvelope;
  } catch {
    return false;
  }
  return envelope.id === row.id && envelope.at === toNumber(row.at) && envelope.durationMs === toNumber(row.duration_ms) && envelope.action === row.action
    && envelope.tenantId === row.tenant_id && envelope.userId === row.user_id && envelope.decision === row.decision && envelope.model === row.model
    && envelope.rowsReturned === toNullableNumber(row.rows_returned) && envelope.rowsAffected === toNullableNumber(row.rows_affected)
    && envelope.approvalId === row.approval_id;
}

export const RECORD_SELECT = 'id, at, duration_ms, action, tenant_id, user_id, decision, model, rows_returned, rows_affected, approval_id, envelope, payload';

async function readRecords(store: AuditStore, ids: string[]): Promise<Map<string, RecordRow>> {
  const rows = new Map<string, RecordRow>();
  for (const part of chunks(ids, PAGE)) {
    const found = await selectRows<RecordRow>(store, `SELECT ${RECORD_SELECT} FROM ${store.tables.records} WHERE id IN (${inList(part.length)})`, part);
    for (const row of found) rows.set(row.id, row);
  }
  return rows;
}

async function readLinks(store: AuditStore, afterSeq: number): Promise<ChainLink[]> {
  const rows = await selectRows<LinkRow>(store, `SELECT seq, record_id, digest, prev_hash, hash FROM ${store.tables.chain} WHERE chain = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    [store.chain, afterSeq, PAGE]);
  return rows.map(toLink);
}

/**
 * Walks the chain from the latest checkpoint (or its start) page by page with core's
 * `verifyAuditChain`, against the head row (a cut tail is `truncated`). Pages after the first continue
 * from the previous page's head through a checkpoint signed with a key that lives only for this walk.
 * A record whose indexed columns disagree with its envelope is a `digest_mismatch` at its sequence.
 */
export async function verifyStoredChain(store: AuditStore, key: Uint8Array | undefined): Promise<ChainVerification> {
  const expectedHead = await readHead(store);
  let checkpoint: ChainCheckpoint | null = await readLatestCheckpoint(store);
  let checkpointKey = key;
  const walkKey = randomBytes(32);
  let counted = 0;
  for (;;) {
    const links = await readLinks(store, checkpoint?.seq ?? 0);
    const records = await readRecords(store, links.map((l) => l.recordId));
    const result = verifyAuditChain({
      links, record: (id) => { const row = records.get(id); return row && toStored(row); }, checkpoint, key: checkpointKey, ...(links.length === 0 ? { expectedHead } : {}),
    });
    const edited = links.find((l) => { const row = records.get(l.recordId); return row !== undefined && !columnsMatchEnvelope(row); });
    if (edited && (result.ok || edited.seq < result.seq)) {
      return { ok: false, count: counted + edited.seq - links[0]!.seq, seq: edited.seq, problem: 'digest_mismatch' };
    }
    if (!result.ok) return { ...result, count: counted + result.count };
    counted += result.count;
    if (links.length === 0) return { ok: true, count: counted, head: result.head };
    checkpoint = signCheckpoint(walkKey, { chain: store.chain, seq: result.head!.seq, count: 0, headHash: result.head!.hash, at: 0 });
    checkpointKey = walkKey;
  }
}
