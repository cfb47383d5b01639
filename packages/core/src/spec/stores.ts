import type { ApprovalStatus } from './approval-status.js';
import type { Row } from './adapter.js';
import type { ErrorPayload } from './errors.js';
import type { SubjectRef } from './audit.js';
import type { WriteOperation } from './policy.js';

/** What other people implement or receive around writes: the approval queue, the rate-limit store, the write listener. */

export type { ApprovalStatus };

/** One approval rule the write triggered; each needs its own approver. */
export interface RequiredApproval {
  rule: string;
  approverRoles: string[];
  approvedBy?: string;
  approvedAt?: number;
}

/** A gated write waiting for (or past) a human decision. Holds exactly the arguments that will run. */
export interface ApprovalRecord {
  id: string;
  /** Bumped by every update: the compare-and-set token. */
  version: number;
  tenantId: string | null;
  requestedBy: string;
  requesterRoles: string[];
  tool: string;
  model: string;
  operation: WriteOperation;
  args: Record<string, unknown>;
  argsHash: string;
  /** Hash of the target rows' content when requested: execution refuses if they changed since. Null for creates. */
  targetsHash: string | null;
  reason: string;
  approvals: RequiredApproval[];
  slaMs: number;
  status: ApprovalStatus;
  /** Epoch milliseconds. */
  createdAt: number;
  expiresAt: number;
  decidedBy?: string;
  decidedAt?: number;
  decisionNote?: string;
  executionId?: string;
  executedAt?: number;
  result?: unknown;
  error?: ErrorPayload;
  /** The data subjects whose rows the write targets (see the policy's `audit.subjects`): every audit record about this request names them. */
  subjects?: SubjectRef[];
}

export interface ApprovalStore {
  /** True when `update(..., transaction)` commits or rolls back with the write (a store in the same database). */
  readonly transactional: boolean;
  create(record: ApprovalRecord): Promise<void>;
  get(id: string): Promise<ApprovalRecord | null>;
  /**
   * Applies `patch` only if the record is still at `version`, bumping the version: compare-and-set.
   * `transaction` is the adapter's open write transaction, so SQL stores commit the change with the write.
   */
  update(id: string, version: number, patch: Partial<ApprovalRecord>, transaction?: unknown): Promise<boolean>;
  list(filter: { status?: ApprovalStatus; tenantId?: string }): Promise<ApprovalRecord[]>;
}

/**
 * One limit to check and take from: at most `limit` units in any interval of `windowMs`. A unit is
 * one call unless `cost` says otherwise (rows, say).
 */
export interface BudgetCheck {
  /** An opaque key (core sends an HMAC of `budgetKey(...)`, never an identifier in clear); the store adds its own prefix. */
  key: string;
  limit: number;
  windowMs: number;
  /**
   * Units this call takes: an integer >= 0, default 1. It is allowed when used + cost <= limit. Cost 0 is
   * a probe: allowed while used < limit, and it takes nothing (for usage only known afterwards, see `add`).
   */
  cost?: number | undefined;
}

/** Usage recorded after the fact (rows a read returned): counted whatever the limit. */
export interface BudgetEntry {
  key: string;
  windowMs: number;
  /** An integer >= 0; 0 records nothing. */
  cost: number;
}

/** The answer to one `take`: all checks allowed (and each took its cost), or none took anything. */
export interface BudgetDecision {
  allowed: boolean;
  /** 0 when allowed; else the exact wait until every refusing check would allow its cost. */
  retryAfterMs: number;
  /** Index (into `checks`) of the first check that refused. */
  refusedBy?: number;
  /** Per check, in order: units its window still allows (after this take, when allowed), never below 0. */
  remaining: number[];
}

/**
 * The rate-limit and quota primitive behind maxWritesPerMinute, the policy's quotas and the AI SDK's
 * step budget; Redis and Upstash stores implement it too.
 *
 * Each key is a sliding-window log whose entries carry a cost: the units used at time `now` are the
 * sum of the costs of entries in `(now - windowMs, now]`, so no interval of `windowMs` ever holds more
 * than `limit` units taken by `take` (entries from `add` can go past it; then every check refuses
 * until enough of them leave the window).
 */
export interface BudgetStore {
  readonly specificationVersion: 'v1';
  /**
   * Checks every limit and, only if all allow their cost, records an entry of that cost in each
   * (probes record nothing), atomically. A refusal's wait is when enough of a key's oldest entries
   * leave the window for the cost to fit (a call then succeeds, one a millisecond before does not).
   * A refused call takes nothing from any key. `limit < 1`, or a cost above the limit, never fits:
   * refused, with a wait of `windowMs` (fail closed). The same key twice is a caller's bug and
   * rejects. Rejects (throws) when the store cannot answer: callers decide (writes fail closed).
   */
  take(checks: readonly BudgetCheck[]): Promise<BudgetDecision>;
  /**
   * Records usage unconditionally, atomically across `entries`: what a read returned, known only
   * after it ran. Same windows and clock as `take`. Rejects when the store cannot answer.
   */
  add(entries: readonly BudgetEntry[]): Promise<void>;
}

/** What a committed write did, handed to `onWrite` inside the write's transaction (audit hooks here). */
export interface WriteEvent {
  tool: string;
  model: string;
  operation: 'create' | 'update' | 'delete' | 'soft_delete' | 'bulk_update';
  tenantId: string | null;
  userId: string;
  reason: string;
  /** Who approved it (per rule), when it ran after an approval. */
  approval: { id: string; approvals: Array<{ rule: string; approvedBy: string | null; approvedAt: number | null }> } | null;
  before: Row[];
  after: Row[];
}

/** Runs inside the write transaction; throwing rolls the write back. `transaction` is the adapter's (a Sequelize Transaction). */
export type WriteListener = (event: WriteEvent, transaction: unknown) => void | Promise<void>;

/** The parts a budget key is made of (a kind, a tenant, a user...): hashed, never sent in clear. */
export type BudgetKeyParts = ReadonlyArray<string | number | null>;

/** A `BudgetCheck` named by its parts, for `ormai.budgets`. */
export interface BudgetPartsCheck extends Omit<BudgetCheck, 'key'> {
  parts: BudgetKeyParts;
}

/** A `BudgetEntry` named by its parts, for `ormai.budgets`. */
export interface BudgetPartsEntry extends Omit<BudgetEntry, 'key'> {
  parts: BudgetKeyParts;
}
