import type { ErrorPayload } from '../errors.js';
import type { WriteOperation } from '../policy/policy-schema.js';

/** `executing`: a non-transactional store's mark while the write commits; it becomes `executed` after. */
export type ApprovalStatus = 'pending' | 'approved' | 'executing' | 'executed' | 'denied' | 'expired' | 'failed';

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

/**
 * For tests and single-process use. Records do not survive a restart, and updates cannot join a
 * database transaction: use sequelizeApprovalStore in production.
 */
export class MemoryApprovalStore implements ApprovalStore {
  readonly transactional = false;
  private readonly records = new Map<string, ApprovalRecord>();

  async create(record: ApprovalRecord) {
    this.records.set(record.id, structuredClone(record));
  }

  async get(id: string) {
    const record = this.records.get(id);
    return record ? structuredClone(record) : null;
  }

  async update(id: string, version: number, patch: Partial<ApprovalRecord>) {
    const record = this.records.get(id);
    if (!record || record.version !== version) return false;
    Object.assign(record, structuredClone(patch), { version: version + 1 });
    return true;
  }

  async list(filter: { status?: ApprovalStatus; tenantId?: string }) {
    return [...this.records.values()]
      .filter((r) => (!filter.status || r.status === filter.status) && (!filter.tenantId || r.tenantId === filter.tenantId))
      .map((r) => structuredClone(r));
  }
}
