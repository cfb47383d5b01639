import type { Sequelize } from 'sequelize';
import type { ReadSession } from './session.js';

interface SqliteDatabase {
  all(sql: string, params: unknown[], callback: (error: Error | null, rows: Record<string, unknown>[]) => void): void;
}

/** SQLite shares one connection per database in Sequelize; reads run on it directly with bound parameters. */
export async function withSqliteReadSession<T>(sequelize: Sequelize, work: (session: ReadSession) => Promise<T>): Promise<T> {
  const manager = sequelize.connectionManager as unknown as {
    getConnection(o: object): Promise<SqliteDatabase>;
    releaseConnection(c: SqliteDatabase): Promise<void> | void;
  };
  const db = await manager.getConnection({});
  try {
    return await work({
      all: (sql, params) => new Promise((resolve, reject) => db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows)))),
    });
  } finally {
    await manager.releaseConnection(db);
  }
}
