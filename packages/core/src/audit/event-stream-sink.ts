import { hmacHex } from '../crypto.js';
import type { AuditPayload, AuditRecord, AuditSink } from '../spec/audit.js';
import { payloadDigestOf } from './stored-record.js';

/**
 * How the people in a record leave the process: `clear` as they are; `hashed` as HMAC-SHA-256 hex
 * under your key (the receiver can group and match them, and look one up by hashing it with the same
 * key, but not read them); `omitted` removed (ids null, approvers and subjects empty). Covers the
 * tenant, user, session, request, run (the AI SDK's run id embeds tenant, user and session) and
 * approver ids and the subject ids.
 */
export type IdentifierHandling = 'clear' | 'hashed' | 'omitted';

/**
 * Whether the payload's input and reason leave the process: `sanitized` as the library sanitized
 * them (denied values gone, masked fields masked: still customer names, ids and filter values);
 * `omitted` as input `'[omitted]'` and reason null.
 */
export type PayloadHandling = 'sanitized' | 'omitted';

/** The input an outgoing record carries when its payload is omitted. */
export const OMITTED_INPUT = '[omitted]';

export interface EventStreamSinkOptions {
  name?: string | undefined;
  /** Required unless `key` is given (then it defaults to 'hashed'): what crosses the boundary is a choice to make, not a default. */
  identifiers?: IdentifierHandling | undefined;
  /** The HMAC key for `hashed`. Keep it apart from the instance secret and rotate it with the receiver. */
  key?: Uint8Array | undefined;
  /** Default 'omitted', or 'sanitized' when identifiers are 'clear' (nothing left to protect by omitting it). */
  payload?: PayloadHandling | undefined;
}

/** How one record is turned into its outgoing copy (see `outgoingRecord`). */
export interface OutgoingHandling {
  identifiers: IdentifierHandling;
  /** Default as for `EventStreamSinkOptions.payload`. */
  payload?: PayloadHandling | undefined;
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

const payloadHandling = (handling: OutgoingHandling): PayloadHandling => handling.payload ?? (handling.identifiers === 'clear' ? 'sanitized' : 'omitted');

/**
 * The copy of a record that leaves the process: ids replaced as `identifiers` says, input and reason
 * kept or omitted as `payload` says. The payload digest is recomputed over the payload as sent: the
 * original's digest would let a receiver test guesses of a subject id or an input against it.
 */
export function outgoingRecord(record: AuditRecord, handling: OutgoingHandling): AuditRecord {
  const { identifiers, key } = handling;
  const keepPayload = payloadHandling(handling) === 'sanitized';
  if (identifiers === 'clear' && keepPayload) return record;
  if (identifiers === 'hashed' && !key) throw new EventStreamSinkConfigError("outgoingRecord: identifiers 'hashed' needs a `key`");
  const hide = identifiers === 'clear' ? (id: string) => id : identifiers === 'hashed' ? (id: string) => hmacHex(key!, id) : null;
  const hideNullable = (id: string | null) => (id === null || !hide ? null : hide(id));
  const payload: AuditPayload = {
    input: keepPayload ? record.payload.input : OMITTED_INPUT,
    reason: keepPayload ? record.payload.reason : null,
    subjects: hide ? record.payload.subjects.map((s) => ({ model: s.model, id: hide(s.id) })) : [],
  };
  return {
    ...record,
    tenantId: hideNullable(record.tenantId),
    userId: hideNullable(record.userId),
    sessionId: hideNullable(record.sessionId),
    requestId: hideNullable(record.requestId),
    runId: hideNullable(record.runId),
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
 */
export function eventStreamSink(send: (records: AuditRecord[]) => Promise<void>, options: EventStreamSinkOptions = {}): AuditSink {
  const handling: OutgoingHandling = { identifiers: identifierHandling(options), payload: options.payload, key: options.key };
  return {
    name: options.name ?? 'event-stream',
    write: (records) => send(records.map((record) => outgoingRecord(record, handling))),
  };
}
