import { afterAll, beforeAll } from 'vitest';
import { createOrmAI, type CreateOrmAIOptions, type OrmAI, type Policy, type TenantRunContext } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { openDatabase, type Dialect, type TestDatabase } from './databases.js';
import { defineShop, seedShop, shopPolicy, type SeededShop, type ShopModels } from './shop.js';

export const ACME: TenantRunContext = { tenantId: 'acme', userId: 'u-acme' };
export const GLOBEX: TenantRunContext = { tenantId: 'globex', userId: 'u-globex' };

export interface ShopFixture {
  db: TestDatabase;
  models: ShopModels;
  seeded: SeededShop;
  ormai: OrmAI;
  /** SQL texts the adapter sent, newest last. */
  statements: string[];
  withPolicy(policy: Policy, options?: Partial<CreateOrmAIOptions>): OrmAI;
}

/** Registers hooks that build, seed and tear down the shop for one dialect; read the fixture inside tests. */
export function useShop(dialect: Dialect): ShopFixture {
  const fixture = { statements: [] as string[] } as ShopFixture;
  beforeAll(async () => {
    fixture.db = await openDatabase(dialect);
    fixture.models = defineShop(fixture.db.sequelize);
    await fixture.db.sequelize.sync();
    fixture.seeded = await seedShop(fixture.models);
    if (dialect === 'postgres') await fixture.db.sequelize.query('ANALYZE'); // real planner statistics, as in production
    const adapter = sequelizeAdapter(fixture.db.sequelize, { onStatement: (sql) => fixture.statements.push(sql) });
    fixture.withPolicy = (policy, options = {}) => createOrmAI({ adapter, policy, secret: 'test-secret', ...options });
    fixture.ormai = fixture.withPolicy(shopPolicy());
  });
  afterAll(async () => {
    await fixture.db?.close();
  });
  return fixture;
}
