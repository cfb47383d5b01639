import type { ApprovalStatus } from './approval-status.js';
import type { Row } from './adapter.js';
import type { ErrorPayload } from './errors.js';
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

/** One limit to check and take from: at most `limit` allowed calls in any interval of `windowMs`. */
export interface BudgetCheck {
  /** An opaque, already-encoded key (build it with `budgetKey`); the store adds its own prefix. */
  key: string;
  limit: number;
  windowMs: number;
}

/** The answer to one `take`: all checks allowed (and each took one unit), or none took anything. */
export interface BudgetDecision {
  allowed: boolean;
  /** 0 when allowed; else the exact wait until every refusing check would allow a call. */
  retryAfterMs: number;
  /** Index (into `checks`) of the first check that refused. */
  refusedBy?: number;
  /** Per check, in order: calls its window still allows (after this take, when allowed). */
  remaining: number[];
}

/** The rate-limit primitive behind maxWritesPerMinute; Redis and Upstash stores implement it too. */
export interface BudgetStore {
  readonly specificationVersion: 'v1';
  /**
   * Checks every limit and, only if all allow a call, takes one unit from each, atomically. Each key
   * is a sliding-window log: a call at time `now` is allowed when fewer than `limit` calls were
   * allowed in `(now - windowMs, now]`, so no interval of `windowMs` ever holds more than `limit`
   * allowed calls. A refusal's wait is when the oldest of a key's last `limit` allowed calls leaves
   * the window (a call then succeeds, one a millisecond before does not). A refused call takes
   * nothing from any key. `limit < 1` refuses (fail closed); the same key twice is a caller's bug and
   * rejects. Rejects (throws) when the store cannot answer: callers fail closed.
   */
  take(checks: readonly BudgetCheck[]): Promise<BudgetDecision>;
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
