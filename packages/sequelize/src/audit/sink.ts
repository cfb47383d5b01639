import type { AuditRecord, AuditSink, AuditWriteOptions, ChainVerification, SubjectQuery } from '@ormai/core';
import type { Sequelize, Transaction } from 'sequelize';
import { AuditStoreError } from './errors.js';
import { migrateAuditTables } from './migrate.js';
import { SealScheduler, sealAll, sealBatch } from './seal.js';
import { eraseSubject, subjectAccess } from './subjects.js';
import { auditStore, type AuditLocation } from './tables.js';
import { inOwnTransaction } from './transactions.js';
import { verifyStoredChain } from './verify.js';
import { insertRecords } from './write.js';

export interface SequelizeAuditSinkOptions {
  /** One hash chain per name; several chains may share the tables. Default 'default'. */
  chain?: string | undefined;
  /** Table (and view) names start with it. Default 'ormai_audit'. */
  tablePrefix?: string | undefined;
  /** PostgreSQL schema of the tables; default: the connection's search_path. */
  schema?: string | undefined;
  /** Seal after every write (after its transaction commits). Default true; else call `seal()`/`sealAll()`. */
  autoSeal?: boolean | undefined;
  /** The audit key: checks retention checkpoints in `verify()`. */
  key?: Uint8Array | undefined;
  /**
   * Where a background seal's error goes (the records stay queued; the next seal takes them). Default: ignored.
   * While background seals keep failing, `write()` rejects (see `SequelizeAuditSink.write`).
   */
  onSealError?: ((error: unknown) => void) | undefined;
}

export interface SequelizeAuditSink extends AuditSink {
  readonly name: 'sequelize';
  readonly location: AuditLocation;
  /** Creates the tables and indexes (and on PostgreSQL the saved-query views) if missing. */
  migrate(): Promise<void>;
  canJoin(transaction: unknown): boolean;
  /**
   * Idempotent by record id: a record already stored (a retried batch whose first write committed) is skipped.
   * Rejects with `seal_failing` while background seals fail (after one more try, run at once for a write of
   * its own, after the caller's transaction for a joined one): an audit trail that cannot be sealed is down,
   * so the audit queue turns unhealthy and `fail_closed` refuses calls until a seal succeeds.
   */
  write(records: readonly AuditRecord[], options?: AuditWriteOptions): Promise<void>;
  /** Seals one batch of queued records; returns how many. */
  seal(): Promise<number>;
  /** Seals until the queue is empty (after waiting for a background seal); returns how many. */
  sealAll(): Promise<number>;
  /**
   * Walks the chain (see `verifyAuditChain`), then checks what the walk cannot see: links past the head row
   * (the head moved back: `broken_link` at head + 1) and records of this chain neither linked nor queued
   * (inserted beside the chain: `unchained_record` at head + 1).
   */
  verify(): Promise<ChainVerification>;
  /** With `tenantId`, only that tenant's records (`null`: the tenant-free ones). */
  subjectAccess(subject: SubjectQuery): Promise<AuditRecord[]>;
  /** Erases the payloads of the subject's records (of `tenantId` only, when given) and drops the subject's index rows; other subjects keep theirs. */
  eraseSubject(subject: SubjectQuery): Promise<number>;
  /** Waits for background seals and seals what is left; the Sequelize instance stays open. */
  close(): Promise<void>;
}

/**
 * The SQL audit sink. A write inserts records, their subject rows and queue entries (in the caller's
 * write transaction when it can join it, else in one of its own); sealing links queued records into the
 * hash chain afterwards, under a per-chain lock held only for the seal, so audited writes of all
 * tenants never wait on the chain.
 */
export function sequelizeAuditSink(sequelize: Sequelize, options: SequelizeAuditSinkOptions = {}): SequelizeAuditSink {
  const location: AuditLocation = { sequelize, chain: options.chain ?? 'default', tablePrefix: options.tablePrefix ?? 'ormai_audit', schema: options.schema };
  const store = auditStore(location);
  const autoSeal = options.autoSeal ?? true;
  // The last background seal's error, while seals keep failing: writes then refuse (see `write`).
  let failing: { error: unknown } | null = null;
  const sealInBackground = async () => {
    try {
      await sealAll(store);
      failing = null;
    } catch (error) {
      failing = { error };
      throw error;
    }
  };
  const scheduler = new SealScheduler(sealInBackground, options.onSealError ?? (() => undefined));
  let closed = false;
  const requestSeal = () => {
    if (autoSeal && !closed) scheduler.request().catch(() => undefined);
  };
  /** An explicit seal that succeeds shows sealing works again. */
  const sealed = (count: number) => {
    failing = null;
    return count;
  };
  const canJoin = (transaction: unknown): transaction is Transaction =>
    typeof transaction === 'object' && transaction !== null && (transaction as { sequelize?: unknown }).sequelize === sequelize;
  /**
   * While seals fail, tries once more, then refuses the write. A joined write cannot wait for the seal: the
   * caller's transaction holds what the seal needs (SQLite's lock), so its retry runs after that transaction.
   */
  const checkSealing = async (joined: boolean) => {
    if (!failing) return;
    if (joined) requestSeal();
    else await scheduler.request();
    if (!failing) return;
    const { error } = failing;
    throw new AuditStoreError('seal_failing', `audit records cannot be sealed into the chain (they stay queued): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  };

  return {
    name: 'sequelize',
    location,
    migrate: () => migrateAuditTables(store),
    canJoin,
    async write(records, writeOptions) {
      if (closed) throw new AuditStoreError('sink_closed', 'the audit sink is closed');
      if (records.length === 0) return;
      const transaction = writeOptions?.transaction;
      await checkSealing(canJoin(transaction));
      if (canJoin(transaction)) {
        await insertRecords(store, records, transaction);
        transaction.afterCommit(requestSeal);
        return;
      }
      await inOwnTransaction(store, (own) => insertRecords(store, records, own));
      requestSeal();
    },
    seal: async () => sealed(await sealBatch(store)),
    async sealAll() {
      await scheduler.idle();
      return sealed(await sealAll(store));
    },
    verify: () => verifyStoredChain(store, options.key),
    subjectAccess: (subject) => subjectAccess(store, subject),
    eraseSubject: (subject) => eraseSubject(store, subject),
    async close() {
      closed = true;
      await scheduler.idle();
      await sealAll(store);
    },
  };
}
