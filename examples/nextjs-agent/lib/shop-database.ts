import pg from 'pg';
import { Sequelize } from 'sequelize';
import { openShopDatabase } from '@ormai/example-quickstart/src/shop/database';
import { defineShopModels } from '@ormai/example-quickstart/src/shop/models';
import { seedShop } from '@ormai/example-quickstart/src/shop/seed';

export type ShopDialect = 'sqlite' | 'postgres';

/**
 * The demo shop of the quickstart. Without DATABASE_URL: embedded SQLite in memory, seeded at start (the
 * data lives as long as the server process). With it: PostgreSQL, tables created and seeded when empty.
 */
export async function openShop(): Promise<{ sequelize: Sequelize; dialect: ShopDialect }> {
  const url = process.env.DATABASE_URL;
  // Serverless instances do not share memory: a write queued for approval on one would be missing on the next.
  if (!url && process.env.VERCEL) throw new Error('DATABASE_URL is not set: on Vercel the app needs PostgreSQL');
  if (!url) return { sequelize: (await openShopDatabase()).sequelize, dialect: 'sqlite' };
  // `dialectModule` lets Vercel's file tracing see the driver, which Sequelize would otherwise load by name.
  const sequelize = new Sequelize(url, { dialect: 'postgres', dialectModule: pg, logging: false, pool: { max: 5 } });
  const models = defineShopModels(sequelize);
  await sequelize.sync();
  if ((await models.Tenant.count()) === 0) {
    await seedShop(models);
    await sequelize.query('ANALYZE');
  }
  return { sequelize, dialect: 'postgres' };
}
