import type { AuditRecord, AuditSink, ChainLink, ChainVerification, StoredAuditRecord, SubjectQuery, SubjectRef } from '../spec/audit.js';
import { sealRecords, verifyAuditChain } from './chain.js';
import { fromStoredRecord, recordDigest, toStoredRecord } from './stored-record.js';
import { answers, sameSubject } from './subjects.js';

/** Records in memory, sealed into a chain as they arrive: for tests and single-process demos. */
export class MemoryAuditSink implements AuditSink {
  readonly name = 'memory';
  readonly records = new Map<string, StoredAuditRecord>();
  readonly links: ChainLink[] = [];
  /** Set to an Error to make writes fail (tests of the failure modes). */
  failWith: Error | null = null;
  /**
   * The subjects each record touched, kept apart from its payload (as the SQL sink's subjects table):
   * erasing one subject empties the payload but leaves the other subjects' index.
   */
  readonly #subjects = new Map<string, SubjectRef[]>();
  readonly #tenants = new Map<string, string | null>();

  /** Skips records whose id it already holds, as the SQL sink does: a retried batch adds nothing twice. */
  async write(records: readonly AuditRecord[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    const ids = new Set<string>();
    const fresh = records.filter((r) => !this.records.has(r.id) && !ids.has(r.id) && Boolean(ids.add(r.id)));
    if (!fresh.length) return;
    const stored = fresh.map(toStoredRecord);
    const head = this.links[this.links.length - 1] ?? null;
    for (const record of stored) this.records.set(record.id, record);
    for (const record of fresh) {
      this.#subjects.set(record.id, [...record.payload.subjects]);
      this.#tenants.set(record.id, record.tenantId);
    }
    this.links.push(...sealRecords(head, stored.map((r) => ({ recordId: r.id, digest: recordDigest(r) }))));
  }

  /** Every record, in chain order. */
  all(): AuditRecord[] {
    return this.links.map((link) => fromStoredRecord(this.records.get(link.recordId)!));
  }

  verify(): ChainVerification {
    return verifyAuditChain({ links: this.links, record: (id) => this.records.get(id) });
  }

  async subjectAccess(subject: SubjectQuery): Promise<AuditRecord[]> {
    return this.#touching(subject).map((id) => fromStoredRecord(this.records.get(id)!));
  }

  async eraseSubject(subject: SubjectQuery): Promise<number> {
    const ids = this.#touching(subject);
    for (const id of ids) {
      this.records.set(id, { ...this.records.get(id)!, payload: null });
      this.#subjects.set(id, this.#subjects.get(id)!.filter((s) => !sameSubject(s, subject)));
    }
    return ids.length;
  }

  /** Ids of the records that touched `subject`, in chain order. */
  #touching(subject: SubjectQuery): string[] {
    return this.links.map((link) => link.recordId).filter((id) => answers(this.#tenants.get(id) ?? null, this.#subjects.get(id) ?? [], subject));
  }
}
