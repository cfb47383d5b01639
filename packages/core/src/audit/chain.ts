import { constantTimeEqual, hmacHex, sha256Hex, utf8ToBytes } from '../crypto.js';
import { canonicalJson } from '../policy/canonical-json.js';
import type { AuditEnvelope, ChainCheckpoint, ChainLink, ChainVerification, StoredAuditRecord } from '../spec/audit.js';
import { recordDigest } from './stored-record.js';

/** The hash before the first link. */
export const GENESIS_HASH = '0'.repeat(64);

export const linkHash = (prevHash: string, seq: number, recordId: string, digest: string): string =>
  sha256Hex(`${prevHash}|${seq}|${recordId}|${digest}`);

export interface ChainHead {
  seq: number;
  hash: string;
}

/** Appends records (their id and `recordDigest`), in order, after `head` (null: the chain's start). */
export function sealRecords(head: ChainHead | null, records: ReadonlyArray<{ recordId: string; digest: string }>): ChainLink[] {
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  return records.map(({ recordId, digest }) => {
    seq += 1;
    const hash = linkHash(prevHash, seq, recordId, digest);
    const link = { seq, recordId, digest, prevHash, hash };
    prevHash = hash;
    return link;
  });
}

const checkpointBody = (c: Omit<ChainCheckpoint, 'signature'>) =>
  canonicalJson({ chain: c.chain, seq: c.seq, count: c.count, headHash: c.headHash, at: c.at });

/** Signs where an archived segment ended; `key` is the audit key (see `auditKey`). */
export function signCheckpoint(key: Uint8Array, checkpoint: Omit<ChainCheckpoint, 'signature'>): ChainCheckpoint {
  return { ...checkpoint, signature: hmacHex(key, checkpointBody(checkpoint)) };
}

export function checkpointIsAuthentic(key: Uint8Array, checkpoint: ChainCheckpoint): boolean {
  return constantTimeEqual(utf8ToBytes(hmacHex(key, checkpointBody(checkpoint))), utf8ToBytes(checkpoint.signature));
}

export interface VerifyChainInput {
  /** Links in ascending sequence order. */
  links: Iterable<ChainLink>;
  /** The stored record a link names, or undefined when it is gone. */
  record: (recordId: string) => StoredAuditRecord | undefined;
  /** Where the remaining chain starts (after a retention run); its signature is checked with `key`. */
  checkpoint?: ChainCheckpoint | null | undefined;
  key?: Uint8Array | undefined;
  /** The head the store says it reached (e.g. a head row kept apart): a shorter walk means the tail was cut. */
  expectedHead?: ChainHead | null | undefined;
}

/**
 * Walks the chain and reports the first sequence where it breaks: a link missing (gap), a link that
 * does not follow its predecessor, a record deleted, edited (its digest changed) or whose payload no
 * longer matches the digest its envelope carries. An erased payload (null) is not a break when the
 * record named a subject (`subjectCount` > 0, a missing count is 0); otherwise it is `payload_mismatch`.
 */
export function verifyAuditChain(input: VerifyChainInput): ChainVerification {
  const { checkpoint } = input;
  if (checkpoint && (!input.key || !checkpointIsAuthentic(input.key, checkpoint))) {
    return { ok: false, count: 0, seq: checkpoint.seq, problem: 'bad_checkpoint' };
  }
  let expectedSeq = (checkpoint?.seq ?? 0) + 1;
  let prevHash = checkpoint?.headHash ?? GENESIS_HASH;
  let count = 0;
  const fail = (seq: number, problem: Extract<ChainVerification, { ok: false }>['problem']): ChainVerification => ({ ok: false, count, seq, problem });
  for (const link of input.links) {
    if (link.seq !== expectedSeq) return fail(expectedSeq, 'sequence_gap');
    if (link.prevHash !== prevHash || link.hash !== linkHash(prevHash, link.seq, link.recordId, link.digest)) return fail(link.seq, 'broken_link');
    const stored = input.record(link.recordId);
    if (!stored) return fail(link.seq, 'missing_record');
    if (stored.id !== link.recordId || recordDigest(stored) !== link.digest) return fail(link.seq, 'digest_mismatch');
    const envelope = JSON.parse(stored.envelope) as AuditEnvelope;
    if (stored.payload !== null) {
      if (envelope.id !== link.recordId || sha256Hex(stored.payload) !== envelope.payloadDigest) return fail(link.seq, 'payload_mismatch');
    } else if (!(envelope.subjectCount > 0)) {
      // Erasure clears the payloads of records that named a subject; any other cleared payload hides what it held.
      return fail(link.seq, 'payload_mismatch');
    }
    prevHash = link.hash;
    expectedSeq += 1;
    count += 1;
  }
  const head = expectedSeq > (checkpoint?.seq ?? 0) + 1 || checkpoint ? { seq: expectedSeq - 1, hash: prevHash } : null;
  if (input.expectedHead && (head?.seq ?? 0) < input.expectedHead.seq) return fail(expectedSeq, 'truncated');
  if (input.expectedHead && head && head.seq === input.expectedHead.seq && head.hash !== input.expectedHead.hash) return fail(head.seq, 'broken_link');
  return { ok: true, count, head };
}
