import { randomBytes } from 'node:crypto';
import { signCheckpoint, verifyAuditChain, type AuditEnvelope, type ChainCheckpoint, type ChainHead, type ChainLink, type ChainVerification, type StoredAuditRecord } from '@ormai/core';
import { readLatestCheckpoint } from './checkpoints.js';
import { readHead } from './seal.js';
import { chunks, inList, selectRows, toNullableNumber, toNumber } from './sql.js';
import type { AuditStore } from './tables.js';
import { readOutsideTransaction } from './transactions.js';

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

/** Links after `afterSeq` up to `uptoSeq`: the walk stops at the head read before it, so a seal committed meanwhile is not a false alarm. */
async function readLinks(store: AuditStore, afterSeq: number, uptoSeq: number): Promise<ChainLink[]> {
  const rows = await selectRows<LinkRow>(store,
    `SELECT seq, record_id, digest, prev_hash, hash FROM ${store.tables.chain} WHERE chain = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4`,
    [store.chain, afterSeq, uptoSeq, PAGE]);
  return rows.map(toLink);
}

/**
 * What the walk cannot see, in one statement (one snapshot: a seal moves queue rows to links and the head
 * in one transaction, a write adds records with their queue rows): links past the head row, and records
 * of this chain that are neither linked nor queued.
 */
async function readOutsideTheWalk(store: AuditStore): Promise<{ headSeq: number | null; lastSeq: number | null; unchained: boolean }> {
  const t = store.tables;
  const [row] = await selectRows<{ head_seq: unknown; last_seq: unknown; unchained: unknown }>(store,
    `SELECT (SELECT seq FROM ${t.heads} WHERE chain = $1) AS head_seq, (SELECT max(seq) FROM ${t.chain} WHERE chain = $1) AS last_seq,
       CASE WHEN EXISTS (SELECT 1 FROM ${t.records} r WHERE r.chain = $1
         AND NOT EXISTS (SELECT 1 FROM ${t.chain} c WHERE c.record_id = r.id AND c.chain = r.chain)
         AND NOT EXISTS (SELECT 1 FROM ${t.queue} q WHERE q.record_id = r.id AND q.chain = r.chain)) THEN 1 ELSE 0 END AS unchained`,
    [store.chain]);
  return { headSeq: toNullableNumber(row!.head_seq), lastSeq: toNullableNumber(row!.last_seq), unchained: toNumber(row!.unchained) === 1 };
}

/**
 * Walks the chain from the latest checkpoint (or its start) up to the head row, page by page with core's
 * `verifyAuditChain` (a cut tail is `truncated`). Pages after the first continue from the previous page's
 * head through a checkpoint signed with a key that lives only for this walk. A record whose indexed
 * columns disagree with its envelope is a `digest_mismatch` at its sequence. Then links past the head
 * (the head row moved back: sealing stops) are a `broken_link`, and a record neither linked nor queued (an
 * INSERT beside the chain) an `unchained_record`, both at head + 1.
 */
export function verifyStoredChain(store: AuditStore, key: Uint8Array | undefined): Promise<ChainVerification> {
  return readOutsideTransaction(store, async () => {
    const expectedHead = await readHead(store);
    const latest = await readLatestCheckpoint(store);
    const walked = await walkChain(store, latest, key, expectedHead?.seq ?? latest?.seq ?? 0, expectedHead);
    if (!walked.ok) return walked;
    const outside = await readOutsideTheWalk(store);
    const headSeq = outside.headSeq ?? latest?.seq ?? 0;
    if ((outside.lastSeq ?? 0) > headSeq) return { ok: false, count: walked.count, seq: headSeq + 1, problem: 'broken_link' };
    if (outside.unchained) return { ok: false, count: walked.count, seq: headSeq + 1, problem: 'unchained_record' };
    return walked;
  });
}

async function walkChain(store: AuditStore, latest: ChainCheckpoint | null, key: Uint8Array | undefined, uptoSeq: number, expectedHead: ChainHead | null): Promise<ChainVerification> {
  let checkpoint = latest;
  let checkpointKey = key;
  const walkKey = randomBytes(32);
  let counted = 0;
  for (;;) {
    const links = await readLinks(store, checkpoint?.seq ?? 0, uptoSeq);
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
