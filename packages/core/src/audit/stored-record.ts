import { sha256Hex } from '../crypto.js';
import { canonicalJson } from '../policy/canonical-json.js';
import type { AuditEnvelope, AuditPayload, AuditRecord, StoredAuditRecord } from '../spec/audit.js';

/** The payload digest a record's envelope carries. */
export const payloadDigestOf = (payload: AuditPayload): string => sha256Hex(canonicalJson(payload));

/** A record as sinks store it: canonical JSON, so every sink (and the verifier) hashes the same bytes. */
export function toStoredRecord(record: AuditRecord): StoredAuditRecord {
  const { payload, ...envelope } = record;
  return { id: record.id, envelope: canonicalJson(envelope), payload: canonicalJson(payload) };
}

export const ERASED_PAYLOAD: AuditPayload = Object.freeze({ input: '[erased]', reason: null, subjects: [] }) as AuditPayload;

export function fromStoredRecord(stored: StoredAuditRecord): AuditRecord {
  const envelope = JSON.parse(stored.envelope) as AuditEnvelope;
  const payload = stored.payload === null ? ERASED_PAYLOAD : (JSON.parse(stored.payload) as AuditPayload);
  return { ...envelope, payload };
}

/** What the chain covers for one record: its envelope (which carries the payload's digest). */
export const recordDigest = (stored: StoredAuditRecord): string => sha256Hex(stored.envelope);
