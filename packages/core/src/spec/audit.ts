import type { ErrorCode } from './errors.js';

/**
 * The audit trail's public shapes: what one call leaves behind, how it is sealed into a hash chain,
 * and the small interface every sink (memory, SQL, JSON lines, event stream) implements.
 */

/** The row of a subject model (see `AuditPolicy.subjects`) a call returned or changed. */
export interface SubjectRef {
  model: string;
  id: string;
}

/**
 * Which subject a DSAR or erasure is about. With `tenantId`, only that tenant's records (`null`: the
 * tenant-free ones): where keys repeat across tenants, Customer 42 of one tenant is not another's.
 */
export interface SubjectQuery extends SubjectRef {
  tenantId?: string | null | undefined;
}

/** 'allowed', or the code of the structured error the caller received. */
export type AuditDecision = 'allowed' | ErrorCode;

/**
 * What an audited action was: a tool name (`db_query`...), or an action of the approvals API or of
 * the library itself (`approvals.approve`, `approvals.deny`, `approvals.expire`, `approvals.execute`).
 */
export type AuditAction = string;

/**
 * The part of a record the chain covers directly. Holds no subject data: erasure leaves it intact,
 * so the chain still verifies after a subject's payload is gone.
 */
export interface AuditEnvelope {
  id: string;
  /** Epoch milliseconds when the call started. */
  at: number;
  durationMs: number;
  action: AuditAction;
  tenantId: string | null;
  userId: string | null;
  roles: string[];
  sessionId: string | null;
  requestId: string | null;
  /** The active OpenTelemetry trace and span when there was one, else the run context's trace id. */
  traceId: string | null;
  spanId: string | null;
  /** The AI SDK tool call id and run, when the call came through `ormaiTools`. */
  toolCallId: string | null;
  runId: string | null;
  policyHash: string;
  /** The OrmAI version that answered. */
  version: string;
  decision: AuditDecision;
  model: string | null;
  /** HMAC-SHA-256 (keyed with the instance secret) of the raw input's canonical JSON: detects a forged input, reveals nothing. */
  inputHmac: string;
  rowsReturned: number | null;
  rowsAffected: number | null;
  approvalId: string | null;
  /** User ids who approved (approvals) or decided (deny, expire: the system). */
  approvers: string[];
  /** How many subjects the payload names: a payload cleared without naming a subject is tampering, not erasure. */
  subjectCount: number;
  /** sha-256 of the payload's canonical JSON. */
  payloadDigest: string;
}

/** The part of a record that may hold personal data; `eraseSubject` removes it, the digest stays. */
export interface AuditPayload {
  /** The input with denied values removed, masked fields masked, secrets scrubbed and strings capped. */
  input: unknown;
  reason: string | null;
  subjects: SubjectRef[];
}

export interface AuditRecord extends AuditEnvelope {
  payload: AuditPayload;
}

/** A record as a sink stores it: the exact canonical JSON the digests were computed over. */
export interface StoredAuditRecord {
  id: string;
  /** Canonical JSON of the `AuditEnvelope`. */
  envelope: string;
  /** Canonical JSON of the `AuditPayload`; null once erased. */
  payload: string | null;
}

/** One link of a hash chain: `hash = sha256(prevHash | seq | recordId | digest)`, digest = sha256(envelope). */
export interface ChainLink {
  seq: number;
  recordId: string;
  digest: string;
  prevHash: string;
  hash: string;
}

/** Where a chain continues after older links were archived: signed, so it cannot be forged to hide a cut. */
export interface ChainCheckpoint {
  chain: string;
  /** The last archived sequence: the remaining chain starts at `seq + 1` with `prevHash = headHash`. */
  seq: number;
  /** Links archived up to here, since the chain's start. */
  count: number;
  headHash: string;
  /** Epoch milliseconds. */
  at: number;
  /** HMAC-SHA-256 (the audit key) of the checkpoint's other fields. */
  signature: string;
}

export type ChainProblem =
  | 'missing_record'
  | 'digest_mismatch'
  | 'payload_mismatch'
  | 'broken_link'
  | 'sequence_gap'
  | 'bad_checkpoint'
  | 'truncated'
  | 'unchained_record';

export type ChainVerification =
  | { ok: true; count: number; head: { seq: number; hash: string } | null }
  | { ok: false; count: number; seq: number; problem: ChainProblem };

/** How the caller writes: `transaction` is the adapter's open write transaction (a Sequelize Transaction). */
export interface AuditWriteOptions {
  transaction?: unknown;
}

/**
 * Where records go. `write` must be durable when it resolves (or reject: the queue keeps the records
 * and retries). A sink that `canJoin(transaction)` writes inside the caller's transaction, so a write's
 * record commits or rolls back with it; others write at once, before the write commits.
 */
export interface AuditSink {
  readonly name: string;
  write(records: readonly AuditRecord[], options?: AuditWriteOptions): Promise<void>;
  /** True when `write(records, { transaction })` joins that transaction. */
  canJoin?(transaction: unknown): boolean;
  /**
   * Set by a sink that joins a write's transaction only in part (a tee of a SQL sink and an event
   * stream): after the write, the record is queued again with its final decision (same id), and the
   * sink writes it where the joined copy is not.
   */
  readonly wantsFinalRecord?: boolean;
  /** Records of the calls that returned or changed rows of this subject, oldest first. */
  subjectAccess?(subject: SubjectQuery): Promise<AuditRecord[]>;
  /** Removes the subject's payloads (input, reason, subject refs); returns how many records were erased. */
  eraseSubject?(subject: SubjectQuery): Promise<number>;
  /** Walks the stored chain (see `verifyAuditChain`). */
  verify?(): Promise<ChainVerification> | ChainVerification;
  close?(): Promise<void>;
}

/** How a queued sink behaves when it cannot write. */
export type AuditFailureMode = 'fail_closed' | 'continue';

export interface AuditOptions {
  sink: AuditSink;
  /** Records per write. Default 200. */
  batchSize?: number | undefined;
  /** Longest time a record waits in the queue. Default 250 ms. */
  flushIntervalMs?: number | undefined;
  /** Records held while the sink is down. Default 10,000: past it, fail_closed refuses calls, continue drops records (counted). */
  maxQueue?: number | undefined;
  /** Overrides the policy's `audit.onFailure`. */
  onFailure?: AuditFailureMode | undefined;
  /** The active trace (e.g. `activeTraceContext` from `@ormai/core/otel`), read when a record is built. */
  traceContext?: (() => { traceId: string; spanId: string } | undefined) | undefined;
}

/** What `ormai.auditHealth()` reports. */
export interface AuditHealth {
  sink: string;
  healthy: boolean;
  queued: number;
  /** Records dropped (mode 'continue', queue full) or refusals not recorded (queue full) since start. */
  dropped: number;
  lastError: string | null;
}
