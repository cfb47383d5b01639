import type { ErrorPayload } from '../errors.js';
import type { WriteOperation } from '../policy/policy-schema.js';

export type ApprovalStatus = 'pending' | 'approved' | 'executed' | 'denied' | 'expired' | 'failed';

/** A gated write waiting for (or past) a human decision. Holds exactly the arguments that will run. */
export interface ApprovalRecord {
  id: string;
  tenantId: string | null;
  requestedBy: string;
  requesterRoles: string[];
  tool: string;
  model: string;
  operation: WriteOperation;
  args: Record<string, unknown>;
  argsHash: string;
  reason: string;
  rule: string;
  approverRoles: string[];
  slaMs: number;
  status: ApprovalStatus;
  /** Epoch milliseconds. */
  createdAt: number;
  expiresAt: number;
  decidedBy?: string;
  decidedAt?: number;
  decisionNote?: string;
  executedAt?: number;
  result?: unknown;
  error?: ErrorPayload;
}

export interface ApprovalStore {
  create(record: ApprovalRecord): Promise<void>;
  get(id: string): Promise<ApprovalRecord | null>;
  /**
   * Applies `patch` only if the record's status is one of `from`, atomically; returns whether it did.
   * `transaction` is the adapter's open write transaction, so SQL stores commit the change with the write.
   */
  update(id: string, from: ApprovalStatus[], patch: Partial<ApprovalRecord>, transaction?: unknown): Promise<boolean>;
  list(filter: { status?: ApprovalStatus; tenantId?: string }): Promise<ApprovalRecord[]>;
}

/** For tests and single-process use. Records do not survive a restart: use sequelizeApprovalStore in production. */
export class MemoryApprovalStore implements ApprovalStore {
  private readonly records = new Map<string, ApprovalRecord>();

  async create(record: ApprovalRecord) {
    this.records.set(record.id, structuredClone(record));
  }

  async get(id: string) {
    const record = this.records.get(id);
    return record ? structuredClone(record) : null;
  }

  async update(id: string, from: ApprovalStatus[], patch: Partial<ApprovalRecord>) {
    const record = this.records.get(id);
    if (!record || !from.includes(record.status)) return false;
    Object.assign(record, structuredClone(patch));
    return true;
  }

  async list(filter: { status?: ApprovalStatus; tenantId?: string }) {
    return [...this.records.values()]
      .filter((r) => (!filter.status || r.status === filter.status) && (!filter.tenantId || r.tenantId === filter.tenantId))
      .map((r) => structuredClone(r));
  }
}
