import type { AuditRecord, AuditSink, AuditWriteOptions, ChainVerification, SubjectRef } from '@ormai/core';
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
  /** Where a background seal's error goes (the records stay queued; the next seal takes them). Default: ignored. */
  onSealError?: ((error: unknown) => void) | undefined;
}

export interface SequelizeAuditSink extends AuditSink {
  readonly name: 'sequelize';
  readonly location: AuditLocation;
  /** Creates the tables and indexes (and on PostgreSQL the saved-query views) if missing. */
  migrate(): Promise<void>;
  canJoin(transaction: unknown): boolean;
  /** Idempotent by record id: a record already stored (a retried batch whose first write committed) is skipped. */
  write(records: readonly AuditRecord[], options?: AuditWriteOptions): Promise<void>;
  /** Seals one batch of queued records; returns how many. */
  seal(): Promise<number>;
  /** Seals until the queue is empty (after waiting for a background seal); returns how many. */
  sealAll(): Promise<number>;
  verify(): Promise<ChainVerification>;
  subjectAccess(subject: SubjectRef): Promise<AuditRecord[]>;
  /** Erases the payloads of the subject's records and drops the subject's index rows; other subjects keep theirs. */
  eraseSubject(subject: SubjectRef): Promise<number>;
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
  const scheduler = new SealScheduler(() => sealAll(store), options.onSealError ?? (() => undefined));
  let closed = false;
  const requestSeal = () => {
    if (autoSeal && !closed) scheduler.request().catch(() => undefined);
  };
  const canJoin = (transaction: unknown): transaction is Transaction =>
    typeof transaction === 'object' && transaction !== null && (transaction as { sequelize?: unknown }).sequelize === sequelize;

  return {
    name: 'sequelize',
    location,
    migrate: () => migrateAuditTables(store),
    canJoin,
    async write(records, writeOptions) {
      if (closed) throw new AuditStoreError('sink_closed', 'the audit sink is closed');
      if (records.length === 0) return;
      const transaction = writeOptions?.transaction;
      if (canJoin(transaction)) {
        await insertRecords(store, records, transaction);
        transaction.afterCommit(requestSeal);
        return;
      }
      await inOwnTransaction(store, (own) => insertRecords(store, records, own));
      requestSeal();
    },
    seal: () => sealBatch(store),
    async sealAll() {
      await scheduler.idle();
      return sealAll(store);
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
