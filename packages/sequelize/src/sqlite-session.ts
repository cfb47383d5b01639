import type { Sequelize } from 'sequelize';
import type { ReadSession } from './session.js';
import { withSharedConnectionLock } from './sqlite-lock.js';

interface SqliteDatabase {
  all(sql: string, params: unknown[], callback: (error: Error | null, rows: Record<string, unknown>[]) => void): void;
}

/**
 * Reads run on Sequelize's default SQLite connection directly, with bound parameters. In memory that
 * connection is the only one, shared with every transaction: the read takes the instance's lock, so it
 * never sees (or runs inside) another call's open transaction.
 */
export function withSqliteReadSession<T>(sequelize: Sequelize, work: (session: ReadSession) => Promise<T>): Promise<T> {
  const manager = sequelize.connectionManager as unknown as {
    getConnection(o: object): Promise<SqliteDatabase>;
    releaseConnection(c: SqliteDatabase): Promise<void> | void;
  };
  return withSharedConnectionLock(sequelize, async () => {
    const db = await manager.getConnection({});
    try {
      return await work({
        all: (sql, params) => new Promise((resolve, reject) => db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows)))),
      });
    } finally {
      await manager.releaseConnection(db);
    }
  });
}
