import type { ApprovalRecord, ApprovalStatus, ApprovalStore } from '../spec/stores.js';

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
