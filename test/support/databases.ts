import { randomBytes } from 'node:crypto';
import { Sequelize } from 'sequelize';
import { pinIndexLookups } from '../../packages/cli/src/test-support/shop-database.js';

export const DIALECTS = ['sqlite', 'postgres'] as const;
export type Dialect = (typeof DIALECTS)[number];

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  sequelize: Sequelize;
  close(): Promise<void>;
}

/**
 * A fresh, isolated database per suite: in-memory SQLite, or a throwaway PostgreSQL schema (suites run
 * in parallel). PostgreSQL must be reachable: a missing server fails the suite, it never skips it.
 */
export async function openDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const sequelize = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false });
    return { sequelize, close: () => sequelize.close() };
  }
  const schema = `ormai_test_${randomBytes(6).toString('hex')}`;
  const admin = new Sequelize(DATABASE_URL, { logging: false });
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } catch (error) {
    await admin.close();
    throw new Error(`PostgreSQL is required at ${DATABASE_URL} (set DATABASE_URL): ${(error as Error).message}`);
  }
  const sequelize = new Sequelize(DATABASE_URL, {
    logging: false,
    dialectOptions: { options: `-c search_path=${schema}` },
    pool: { max: 8 },
  });
  pinIndexLookups(sequelize, schema);
  return {
    sequelize,
    async close() {
      await sequelize.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}
