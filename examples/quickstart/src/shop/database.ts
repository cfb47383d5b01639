import { Sequelize } from 'sequelize';
import { defineShopModels } from './models.js';
import { seedShop } from './seed.js';

/** The embedded default: an in-memory SQLite database, created and seeded on every run. */
export async function openShopDatabase() {
  const sequelize = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false });
  const models = defineShopModels(sequelize);
  await sequelize.sync();
  await seedShop(models);
  await sequelize.query('ANALYZE'); // planner statistics: SQLite picks its indexes better with them
  return { sequelize, models };
}
