import { afterAll, beforeAll } from 'vitest';
import { createOrmAI, MemoryAuditSink, type OrmAI, type TenantRunContext } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { openDatabase, type Dialect, type TestDatabase } from './databases.js';
import {
  createPropertyTables, definePropertyModels, PROPERTY_SECRET, propertyPolicy, seedPropertyData, TENANT_A, type PropertyModels, type PropertySeed,
} from './property-schema.js';

export const AGENT_A: TenantRunContext = { tenantId: TENANT_A, userId: 'agent-a' };

/** Runs per property: 2,000 in every `npm test` (issue 14's CI figure); the long-run script passes 100,000. */
export const PROPERTY_RUNS = Number(process.env.ORMAI_PROPERTY_RUNS ?? 2_000);
/** A fixed seed, so a failure in CI reproduces locally; ORMAI_PROPERTY_SEED explores others. */
export const PROPERTY_SEED = Number(process.env.ORMAI_PROPERTY_SEED ?? 1414);
/** Per-test timeout grows with the run count (a call takes a few milliseconds). */
export const propertyTimeout = (callsPerRun: number) => 60_000 + PROPERTY_RUNS * callsPerRun * 40;

export interface PropertyFixture {
  db: TestDatabase;
  models: PropertyModels;
  seed: PropertySeed;
  ormai: OrmAI;
  audit: MemoryAuditSink;
  /** Errors OrmAI reported through onError: each is an `internal_error` the agent saw. */
  unexpected: unknown[];
}

/** Builds, seeds and tears down the awkward multi-tenant schema for one dialect. */
export function usePropertyDatabase(dialect: Dialect): PropertyFixture {
  const fixture = { unexpected: [] as unknown[] } as PropertyFixture;
  beforeAll(async () => {
    fixture.db = await openDatabase(dialect);
    fixture.models = definePropertyModels(fixture.db.sequelize);
    await createPropertyTables(fixture.db.sequelize, fixture.models);
    fixture.seed = await seedPropertyData(fixture.models);
    if (dialect === 'postgres') await fixture.db.sequelize.query('ANALYZE');
    fixture.audit = new MemoryAuditSink();
    fixture.ormai = createOrmAI({
      adapter: sequelizeAdapter(fixture.db.sequelize),
      policy: propertyPolicy(),
      secret: PROPERTY_SECRET,
      audit: { sink: fixture.audit },
      onError: (error) => fixture.unexpected.push(error),
    });
  });
  afterAll(async () => {
    await fixture.db?.close();
  });
  return fixture;
}
