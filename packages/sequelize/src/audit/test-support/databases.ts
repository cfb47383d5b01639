import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequelize } from 'sequelize';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const uniqueName = (prefix: string): string => `${prefix}_${randomBytes(5).toString('hex')}`;

export interface PgTestSchema {
  schema: string;
  /** A new Sequelize instance on the test database (closed by `close()`). */
  connect(options?: { role?: string; poolMax?: number }): Sequelize;
  admin: Sequelize;
  close(): Promise<void>;
}

/** A throwaway PostgreSQL schema. PostgreSQL must be reachable: a missing server fails the suite, it never skips it. */
export async function openPgSchema(): Promise<PgTestSchema> {
  const schema = uniqueName('ormai_audit_test');
  const admin = new Sequelize(DATABASE_URL, { logging: false });
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } catch (error) {
    await admin.close();
    throw new Error(`PostgreSQL is required at ${DATABASE_URL} (set DATABASE_URL): ${(error as Error).message}`);
  }
  const opened: Sequelize[] = [];
  return {
    schema,
    admin,
    connect({ role, poolMax = 5 } = {}) {
      const options = `-c search_path=${schema}${role ? ` -c role=${role}` : ''}`;
      const sequelize = new Sequelize(DATABASE_URL, { logging: false, dialectOptions: { options }, pool: { max: poolMax } });
      opened.push(sequelize);
      return sequelize;
    },
    async close() {
      for (const sequelize of opened) await sequelize.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}

export interface SqliteTestFile {
  file: string;
  connect(): Sequelize;
  close(): Promise<void>;
}

/** A real SQLite database file in a fresh temporary folder. */
export function openSqliteFile(): SqliteTestFile {
  const dir = mkdtempSync(join(tmpdir(), 'ormai-audit-'));
  const file = join(dir, 'audit.sqlite');
  const opened: Sequelize[] = [];
  return {
    file,
    connect() {
      const sequelize = new Sequelize({ dialect: 'sqlite', storage: file, logging: false });
      opened.push(sequelize);
      return sequelize;
    },
    async close() {
      for (const sequelize of opened) await sequelize.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
