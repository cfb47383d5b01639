import type { SchemaInfo } from '@ormai/core';
import { shopSetup, type ShopDialect } from '../../test-support/index.js';

/** The shop's schema as the Sequelize adapter introspects it, from a real SQLite file or PostgreSQL schema (removed again). */
export async function shopSchema(dialect: ShopDialect = 'sqlite'): Promise<SchemaInfo> {
  const config = shopSetup({ dialect, audit: false });
  const { ormai, close } = await config.setup();
  try {
    return ormai.adapter.introspect();
  } finally {
    await close();
    await config.destroy();
  }
}
