import { createHash } from 'node:crypto';
import { Transaction, type Sequelize } from 'sequelize';
import { withSharedConnectionLock, withSqliteLock } from '../sqlite-lock.js';
import type { AuditStore } from './tables.js';

/**
 * The sink's own transactions. PostgreSQL: READ COMMITTED, so a statement run after an advisory lock
 * sees what the previous holder committed. SQLite: IMMEDIATE (takes the database's write lock at
 * BEGIN), under the instance's SQLite lock, which the adapter's write transactions take too (an
 * in-memory database has a single connection: nothing else may run a transaction on it meanwhile).
 */
export async function inOwnTransaction<T>(store: AuditStore, fn: (transaction: Transaction) => Promise<T>): Promise<T> {
  if (store.dialect === 'postgres') return store.sequelize.transaction({ isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED }, fn);
  return withSqliteLock(store.sequelize, () => sqliteTransaction(store.sequelize, fn));
}

/** Reads outside a transaction: on an in-memory SQLite database they wait for the lock, so they never see another transaction's uncommitted rows. */
export const readOutsideTransaction = <T>(store: AuditStore, read: () => Promise<T>): Promise<T> => withSharedConnectionLock(store.sequelize, read);

/** How long a SQLite transaction of the sink waits for another connection's (or process's) write lock. */
const SQLITE_BUSY_TIMEOUT_MS = 10_000;

interface SqliteConnection {
  configure(option: 'busyTimeout', ms: number): void;
}

/**
 * Sequelize sets no busy timeout on SQLite connections: a BEGIN IMMEDIATE that meets another writer
 * fails at once, and Sequelize then discards the connection. So the transaction's connection (cached
 * by the transaction id, which is how Sequelize finds it again) gets a busy timeout before BEGIN.
 */
async function sqliteTransaction<T>(sequelize: Sequelize, fn: (transaction: Transaction) => Promise<T>): Promise<T> {
  const transaction = new Transaction(sequelize, { type: Transaction.TYPES.IMMEDIATE });
  // Untyped in Sequelize 6's declarations: the transaction's id and prepareEnvironment (what sequelize.transaction() calls).
  const internals = transaction as unknown as { id: string; finished?: string; prepareEnvironment(useCls: boolean): Promise<void> };
  const connection = (await sequelize.connectionManager.getConnection({ uuid: internals.id } as never)) as unknown as SqliteConnection;
  connection.configure('busyTimeout', SQLITE_BUSY_TIMEOUT_MS);
  await internals.prepareEnvironment(false);
  try {
    const result = await fn(transaction);
    await transaction.commit();
    return result;
  } catch (error) {
    if (!internals.finished) await transaction.rollback().catch(() => undefined);
    throw error;
  }
}

/** A PostgreSQL advisory-lock key (signed 64-bit, as text) for one chain's `purpose`. */
export function advisoryKey(store: AuditStore, purpose: 'seal' | 'archive' | 'migrate'): string {
  const digest = createHash('sha256').update(`ormai-audit|${purpose}|${store.schema ?? ''}|${store.tablePrefix}|${purpose === 'migrate' ? '' : store.chain}`).digest();
  return digest.readBigInt64BE(0).toString();
}

export async function advisoryLock(store: AuditStore, purpose: 'seal' | 'archive' | 'migrate', transaction: Transaction): Promise<void> {
  await store.sequelize.query('SELECT pg_advisory_xact_lock($1::bigint)', { bind: [advisoryKey(store, purpose)], transaction });
}
