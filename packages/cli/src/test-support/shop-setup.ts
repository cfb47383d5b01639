import { createOrmAI, definePolicy, MemoryAuditSink, type PolicySpec, type TenantRunContext, type RunContext } from '@ormai/core';
import { sequelizeAdapter, sequelizeApprovalStore, sequelizeAuditSink, type SequelizeAuditSink } from '@ormai/sequelize';
import type { Sequelize } from 'sequelize';
import type { OrmAIConfig, OrmAISetup } from '../config.js';
import { connectShop, dropShop, newShopLocation, type ShopDialect, type ShopLocation } from './shop-database.js';
import { defineShopModels, type ShopModels } from './shop-models.js';
import { shopPolicySpec } from './shop-policy.js';
import { seedShop } from './shop-seed.js';
import { shopDomainTools, switchShopTools } from './shop-tools.js';

/** The deliberately broken variants `ormai verify` must catch, each one probe's business. */
export type ShopBreak = 'tenant-scope' | 'secret-field' | 'no-reason' | 'no-approval';

const BREAKS: Record<ShopBreak, (spec: PolicySpec) => void> = {
  // A tenant table marked tenant-free: its rows are shared across tenants.
  'tenant-scope': (spec) => void (spec.models.SupportTicket!.tenantScope = false),
  'secret-field': (spec) => void (spec.models.Customer!.fields = { ...spec.models.Customer!.fields, passwordHash: 'allow' }),
  'no-reason': (spec) => {
    for (const model of Object.values(spec.models)) if (model.write) model.write.requireReason = false;
  },
  'no-approval': (spec) => {
    for (const model of Object.values(spec.models)) if (model.write) delete model.write.approvals;
  },
};

export interface ShopSetupOptions {
  dialect: ShopDialect;
  /** An existing shop to open (another process's, a previous command's); default: a new one, seeded on first setup. */
  location?: ShopLocation | undefined;
  /** Changes the policy spec before `definePolicy` (it receives a fresh copy of `shopPolicySpec()`). */
  policyOverrides?: ((spec: PolicySpec) => PolicySpec | void) | undefined;
  /** Named breaks applied to the spec (before `policyOverrides`). */
  breaks?: readonly ShopBreak[] | undefined;
  /** Applies `switchShopTools` to the spec (before `policyOverrides`). */
  switches?: boolean | undefined;
  /** Offers `shopDomainTools()` next to the generic tools. */
  domainTools?: boolean | undefined;
  /** The audit trail: 'sql' (default, the SQL sink in the shop's database, kept across processes), 'memory', or false (off). */
  audit?: 'sql' | 'memory' | false | undefined;
}

/** What `setup()` returns: the OrmAI instance and, for tests, what it is built on. */
export interface ShopSetup extends OrmAISetup {
  sequelize: Sequelize;
  models: ShopModels;
  auditSink: SequelizeAuditSink | null;
  close(): Promise<void>;
}

export interface ShopConfig extends OrmAIConfig {
  setup(): Promise<ShopSetup>;
  location: ShopLocation;
  /** Removes the shop's database (SQLite folder or PostgreSQL schema). */
  destroy(): Promise<void>;
}

export const SHOP_PRINCIPALS = {
  a: { tenantId: 'acme', userId: 'probe-acme' },
  b: { tenantId: 'globex', userId: 'probe-globex' },
} satisfies { a: TenantRunContext; b: TenantRunContext };

/** Holds every approver role of `shopPolicySpec()`. */
export const SHOP_APPROVER: RunContext = { tenantId: 'acme', userId: 'approver-acme', roles: ['finance', 'supervisor'] };

export const SHOP_SECRET = 'cli-test-secret';

/** The policy the options describe. */
export function shopPolicyFor(options: Pick<ShopSetupOptions, 'breaks' | 'switches' | 'policyOverrides'> = {}) {
  let spec = shopPolicySpec();
  for (const name of options.breaks ?? []) BREAKS[name](spec);
  if (options.switches) switchShopTools(spec);
  spec = options.policyOverrides?.(spec) ?? spec;
  return definePolicy(spec);
}

async function seedIfEmpty(sequelize: Sequelize, models: ShopModels): Promise<void> {
  const seeded = await models.Tenant.count().then(
    (n) => n > 0,
    () => false,
  );
  if (seeded) return;
  await sequelize.sync();
  await seedShop(models);
  await sequelize.query('ANALYZE'); // planner statistics, as in production: scan estimates rely on them
}

/**
 * An `ormai.config.ts`-style setup over the quickstart shop (with writes and an approval rule), on a
 * SQLite file or a PostgreSQL schema. Every `setup()` opens the same location, seeding it the first time.
 */
export function shopSetup(options: ShopSetupOptions): ShopConfig {
  const location = options.location ?? newShopLocation(options.dialect);
  const policy = shopPolicyFor(options);
  const auditMode = options.audit ?? 'sql';
  return {
    location,
    principals: SHOP_PRINCIPALS,
    approver: SHOP_APPROVER,
    async setup() {
      const sequelize = await connectShop(location);
      const models = defineShopModels(sequelize);
      await seedIfEmpty(sequelize, models);
      const approvals = sequelizeApprovalStore(sequelize);
      await approvals.ready();
      const auditSink = auditMode === 'sql' ? sequelizeAuditSink(sequelize) : null;
      await auditSink?.migrate();
      const sink = auditMode === 'sql' ? auditSink! : auditMode === 'memory' ? new MemoryAuditSink() : null;
      const ormai = createOrmAI({ adapter: sequelizeAdapter(sequelize), policy, secret: SHOP_SECRET, approvals, ...(sink ? { audit: { sink } } : {}), ...(options.domainTools ? { tools: shopDomainTools() } : {}) });
      return {
        ormai,
        ...(auditSink ? { audit: auditSink.location } : {}),
        sequelize,
        models,
        auditSink,
        async close() {
          await ormai.close();
          await sequelize.close();
        },
      };
    },
    destroy: () => dropShop(location),
  };
}
