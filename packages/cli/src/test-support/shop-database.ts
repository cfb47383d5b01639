import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequelize } from 'sequelize';

export type ShopDialect = 'sqlite' | 'postgres';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Where a shop lives: a SQLite file, or a PostgreSQL schema of its own (test files run in parallel). */
export type ShopLocation = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; schema: string };

/** A new, unused location: a file in a fresh temporary folder, or a random schema name. */
export function newShopLocation(dialect: ShopDialect): ShopLocation {
  if (dialect === 'sqlite') return { dialect, file: join(mkdtempSync(join(tmpdir(), 'ormai-cli-shop-')), 'shop.sqlite') };
  return { dialect, schema: `ormai_cli_${randomBytes(6).toString('hex')}` };
}

/** Opens a connection to the location, creating the schema if needed. PostgreSQL must be reachable: it fails, never skips. */
export async function connectShop(location: ShopLocation): Promise<Sequelize> {
  if (location.dialect === 'sqlite') return new Sequelize({ dialect: 'sqlite', storage: location.file, logging: false });
  const admin = new Sequelize(DATABASE_URL, { logging: false });
  try {
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${location.schema}`);
  } catch (error) {
    throw new Error(`PostgreSQL is required at ${DATABASE_URL} (set DATABASE_URL): ${(error as Error).message}`);
  } finally {
    await admin.close();
  }
  const sequelize = new Sequelize(DATABASE_URL, { logging: false, dialectOptions: { options: `-c search_path=${location.schema}` }, pool: { max: 4 } });
  pinIndexLookups(sequelize, location.schema);
  return sequelize;
}

/** Removes the location: the SQLite folder, or the PostgreSQL schema. */
export async function dropShop(location: ShopLocation): Promise<void> {
  if (location.dialect === 'sqlite') {
    rmSync(join(location.file, '..'), { recursive: true, force: true });
    return;
  }
  const admin = new Sequelize(DATABASE_URL, { logging: false });
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${location.schema} CASCADE`);
  } finally {
    await admin.close();
  }
}

/**
 * Sequelize's `sync()` looks for a table's existing indexes by table name in every schema: a
 * same-named table of another suite makes it skip ours, and a schema dropped meanwhile fails the scan
 * ("could not open relation with OID"). Test databases use unqualified names in a schema of their own,
 * so the lookup is pinned to it.
 */
export function pinIndexLookups(sequelize: Sequelize, schema: string): void {
  const queryInterface = sequelize.getQueryInterface() as unknown as { showIndex(table: unknown, options?: unknown): Promise<unknown> };
  const showIndex = queryInterface.showIndex.bind(queryInterface);
  queryInterface.showIndex = (table, options) => showIndex(typeof table === 'string' ? { tableName: table, schema } : table, options);
}
