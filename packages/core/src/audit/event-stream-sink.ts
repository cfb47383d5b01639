import { hmacHex } from '../crypto.js';
import type { AuditRecord, AuditSink } from '../spec/audit.js';
import { payloadDigestOf } from './stored-record.js';

/**
 * How the people in a record leave the process: `clear` as they are; `hashed` as HMAC-SHA-256 hex
 * under your key (the receiver can group and match them, and look one up by hashing it with the same
 * key, but not read them); `omitted` removed (ids null, approvers and subjects empty).
 */
export type IdentifierHandling = 'clear' | 'hashed' | 'omitted';

export interface EventStreamSinkOptions {
  name?: string | undefined;
  /** Required unless `key` is given (then it defaults to 'hashed'): what crosses the boundary is a choice to make, not a default. */
  identifiers?: IdentifierHandling | undefined;
  /** The HMAC key for `hashed`. Keep it apart from the instance secret and rotate it with the receiver. */
  key?: Uint8Array | undefined;
}

/** An event stream sink built with options that cannot work (no identifier choice, `hashed` without a key). */
export class EventStreamSinkConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventStreamSinkConfigError';
  }
}

function identifierHandling(options: EventStreamSinkOptions): IdentifierHandling {
  const identifiers = options.identifiers ?? (options.key ? 'hashed' : undefined);
  if (!identifiers) throw new EventStreamSinkConfigError("eventStreamSink: pass `identifiers` ('clear', 'hashed' or 'omitted'), or a `key` to hash them");
  if (identifiers === 'hashed' && !options.key) throw new EventStreamSinkConfigError("eventStreamSink: identifiers 'hashed' needs a `key`");
  return identifiers;
}

/**
 * The copy of a record that leaves the process: tenant, user, session, approver and subject ids
 * replaced as `identifiers` says. The payload digest is recomputed over the payload as sent: the
 * original's digest would let a receiver test guesses of a subject id against it.
 */
export function outgoingRecord(record: AuditRecord, identifiers: IdentifierHandling, key?: Uint8Array): AuditRecord {
  if (identifiers === 'clear') return record;
  const hide = identifiers === 'hashed' ? (id: string) => hmacHex(key!, id) : null;
  const hideNullable = (id: string | null) => (id === null || !hide ? null : hide(id));
  const payload = {
    ...record.payload,
    subjects: hide ? record.payload.subjects.map((s) => ({ model: s.model, id: hide(s.id) })) : [],
  };
  return {
    ...record,
    tenantId: hideNullable(record.tenantId),
    userId: hideNullable(record.userId),
    sessionId: hideNullable(record.sessionId),
    approvers: hide ? record.approvers.map(hide) : [],
    payload,
    subjectCount: payload.subjects.length,
    payloadDigest: payloadDigestOf(payload),
  };
}

/**
 * Hands each batch to `send` (a queue producer, a SIEM forwarder...) and is durable when `send`
 * resolves. Records sent are copies for people outside the process: they are not sealed into a
 * chain here (tee with a chained sink for that), and subject access and erasure stay with you.
 * The input travels as the library sanitized it (denied values gone, masked fields masked).
 */
export function eventStreamSink(send: (records: AuditRecord[]) => Promise<void>, options: EventStreamSinkOptions = {}): AuditSink {
  const identifiers = identifierHandling(options);
  return {
    name: options.name ?? 'event-stream',
    write: (records) => send(records.map((record) => outgoingRecord(record, identifiers, options.key))),
  };
}
