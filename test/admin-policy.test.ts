import { describe, expect, it } from 'vitest';
import { QueryTypes, type Sequelize } from 'sequelize';
import {
  AdminConfigError,
  createAdminOrmAI,
  DEFAULT_PROD,
  definePolicy,
  PolicyDefinitionError,
  type AuditEnvelope,
  type OrmAI,
  type RunContext,
  type ToolResult,
} from '@ormai/core';
import type { SequelizeAuditSink } from '@ormai/sequelize';
import { DIALECTS } from './support/databases.js';
import { ACME, GLOBEX, useShop } from './support/shop-fixture.js';
import { shopPolicy } from './support/shop.js';
import { sqlAuditSink } from './support/audit-sql.js';

/** Support staff working across tenants: no tenant scope anywhere. */
const adminPolicy = () =>
  definePolicy({
    profile: DEFAULT_PROD,
    tenantScope: false,
    models: {
      Customer: { fields: { notes: 'deny' }, relations: ['orders'] },
      Order: { relations: ['customer'] },
      Product: {},
    },
  });

/** The same, with writes to order status behind another admin's approval. */
const adminWritePolicy = () =>
  definePolicy({
    profile: DEFAULT_PROD,
    tenantScope: false,
    readOnly: false,
    models: {
      Order: {
        write: {
          update: true,
          writableFields: ['status'],
          approvals: [{ name: 'status-change', operations: ['update'], fieldsChanged: ['status'], approverRoles: ['platform-admin'], slaMs: 60_000 }],
        },
      },
    },
  });

const ADMIN_ROLES = ['platform-admin'];
const ADMIN: RunContext = { userId: 'admin-1', roles: ['platform-admin'] };
const SECOND_ADMIN: RunContext = { userId: 'admin-2', roles: ['platform-admin'] };
const REASON = 'customer escalated the order to platform support';
/** An ordinary tenant principal, a staff member without the admin role, and a principal with no roles at all. */
const NOT_ADMINS: RunContext[] = [ACME, { userId: 'support-2', roles: ['support'] }, { userId: 'nobody' }];

type Seen = { action: string; userId: string | null; decision: string; policyHash: string };
const seen = (action: string, context: RunContext, result: ToolResult, ormai: OrmAI<RunContext>): Seen => ({
  action,
  userId: context.userId,
  decision: result.ok ? 'allowed' : result.error.code,
  policyHash: ormai.policyHash,
});
const sorted = (list: Seen[]) => [...list].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));

/** Every record of one channel, as written to its tables. */
async function channel(sequelize: Sequelize, sink: SequelizeAuditSink): Promise<Seen[]> {
  const rows = await sequelize.query<{ envelope: string }>(`SELECT envelope FROM "${sink.location.tablePrefix}_records"`, { type: QueryTypes.SELECT });
  return rows.map(({ envelope }) => {
    const record = JSON.parse(envelope) as AuditEnvelope;
    return { action: record.action, userId: record.userId, decision: record.decision, policyHash: record.policyHash };
  });
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: an admin instance beside the tenant-scoped one`, () => {
    const shop = useShop(dialect);

    it('reads across tenants for admins only, and each instance audits to its own channel', async () => {
      const { sequelize } = shop.db;
      const tenantSink = await sqlAuditSink(sequelize, `tenant_audit_${dialect}`);
      const adminSink = await sqlAuditSink(sequelize, `admin_audit_${dialect}`);
      const tenant = shop.withPolicy(shopPolicy(), { audit: { sink: tenantSink } }) as OrmAI<RunContext>;
      const admin = createAdminOrmAI({ adapter: shop.ormai.adapter, policy: adminPolicy(), adminRoles: ADMIN_ROLES, secret: 'admin-secret', audit: { sink: adminSink } });
      const expected = { tenant: [] as Seen[], admin: [] as Seen[] };
      const call = async (ormai: OrmAI<RunContext>, to: 'tenant' | 'admin', tool: string, input: unknown, context: RunContext) => {
        const result = await ormai.callTool(tool, input, context);
        expected[to].push(seen(tool, context, result, ormai));
        return result;
      };

      // The admin counts both tenants' orders and reads a Globex order by id.
      const counts = await call(admin, 'admin', 'db_aggregate', { model: 'Order', op: 'count', groupBy: ['tenantId'] }, ADMIN);
      const inDatabase = async (tenantId: string) => shop.models.Order.count({ where: { tenantId } });
      expect(counts).toEqual({
        ok: true,
        data: expect.objectContaining({
          groups: [
            { key: { tenantId: 'acme' }, value: await inDatabase('acme') },
            { key: { tenantId: 'globex' }, value: await inDatabase('globex') },
          ],
        }),
      });
      const globexOrder = shop.seeded.globexOrderIds[0]!;
      const read = await call(admin, 'admin', 'db_get', { model: 'Order', id: globexOrder, include: [{ relation: 'customer' }] }, ADMIN);
      expect(read).toMatchObject({ ok: true, data: { row: { id: globexOrder, tenantId: 'globex', customer: { tenantId: 'globex' } } } });

      // Anyone without the admin role is refused, whichever route: tools and approval decisions alike.
      for (const principal of NOT_ADMINS) {
        const refused = await call(admin, 'admin', 'db_get', { model: 'Order', id: globexOrder }, principal);
        expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_context' } });
        expect(JSON.stringify(refused)).not.toContain('globex');
      }
      const decision = await admin.approvals.approve('no-such-approval', NOT_ADMINS[1]!);
      expect(decision).toMatchObject({ ok: false, error: { code: 'invalid_context' } });
      expected.admin.push(seen('approvals.approve', NOT_ADMINS[1]!, decision, admin));

      // The tenant-scoped instance, meanwhile, still answers only for its tenant, even for an admin's context.
      const acmeOnly = await call(tenant, 'tenant', 'db_aggregate', { model: 'Order', op: 'count' }, ACME);
      expect(acmeOnly).toMatchObject({ ok: true, data: { value: await inDatabase('acme') } });
      expect(await call(tenant, 'tenant', 'db_get', { model: 'Order', id: globexOrder }, ACME)).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await call(tenant, 'tenant', 'db_get', { model: 'Order', id: globexOrder }, ADMIN)).toMatchObject({ ok: false, error: { code: 'invalid_context' } });
      await call(tenant, 'tenant', 'db_query', { model: 'Customer', limit: 5 }, GLOBEX);

      await Promise.all([tenant.close(), admin.close()]);
      await Promise.all([tenantSink.sealAll(), adminSink.sealAll()]);
      // Each channel holds exactly its own instance's calls, refusals included, and nothing of the other.
      expect(sorted(await channel(sequelize, adminSink))).toEqual(sorted(expected.admin));
      expect(sorted(await channel(sequelize, tenantSink))).toEqual(sorted(expected.tenant));
      expect(expected.admin.filter((r) => r.decision === 'invalid_context')).toHaveLength(NOT_ADMINS.length + 1);
      expect(await adminSink.verify()).toMatchObject({ ok: true, count: expected.admin.length });
      expect(await tenantSink.verify()).toMatchObject({ ok: true, count: expected.tenant.length });
    });

    it('admin approvals: decided by admins only, executed as the requester, expired by the system', async () => {
      let now = Date.UTC(2026, 10, 29, 9, 0, 0);
      const sink = await sqlAuditSink(shop.db.sequelize, `admin_writes_${dialect}`);
      const admin = createAdminOrmAI({ adapter: shop.ormai.adapter, policy: adminWritePolicy(), adminRoles: ADMIN_ROLES, secret: 'admin-secret', audit: { sink }, clock: () => now });
      const [approvedOrder, expiringOrder] = shop.seeded.globexOrderIds as [number, number];
      const expected: Seen[] = [];
      const request = async (id: number) => {
        const result = await admin.callTool('db_update', { model: 'Order', id, values: { status: 'on_hold' }, reason: REASON }, ADMIN);
        expected.push(seen('db_update', ADMIN, result, admin));
        expect(result).toMatchObject({ ok: false, error: { code: 'approval_required' } });
        return result.ok ? '' : (result.error.details as { approvalId: string }).approvalId;
      };
      const approvalId = await request(approvedOrder);
      await request(expiringOrder);

      expect(await admin.approvals.approve(approvalId, NOT_ADMINS[1]!)).toMatchObject({ ok: false, error: { code: 'invalid_context' } });
      expect(await admin.approvals.approve(approvalId, SECOND_ADMIN)).toMatchObject({ ok: true });
      expect((await shop.models.Order.findByPk(approvedOrder))?.get('status')).toBe('on_hold');
      now += 120_000;
      expect(await admin.approvals.sweep()).toEqual({ expired: 1 });
      expect((await shop.models.Order.findByPk(expiringOrder))?.get('status')).not.toBe('on_hold');

      await admin.close();
      await sink.sealAll();
      const record = (action: string, userId: string, decision = 'allowed'): Seen => ({ action, userId, decision, policyHash: admin.policyHash });
      expected.push(
        record('approvals.approve', NOT_ADMINS[1]!.userId, 'invalid_context'),
        record('approvals.approve', SECOND_ADMIN.userId),
        record('approvals.execute', ADMIN.userId),
        record('approvals.expire', 'ormai:system'),
      );
      expect(sorted(await channel(shop.db.sequelize, sink))).toEqual(sorted(expected));
    });

    it('refuses a tenant-scoped policy, no admin role or no audit channel', () => {
      const base = { adapter: shop.ormai.adapter, adminRoles: ADMIN_ROLES, audit: { sink: { name: 'unused', write: async () => {} } } };
      const problems = (run: () => unknown) => {
        try {
          run();
        } catch (error) {
          if (error instanceof PolicyDefinitionError) return error.problems;
          return [error instanceof AdminConfigError ? 'AdminConfigError' : String(error)];
        }
        return [];
      };
      expect(problems(() => createAdminOrmAI({ ...base, policy: shopPolicy() }))).toEqual([expect.stringMatching(/^tenantScope: an admin policy must be tenant-free/)]);
      const oneScopedModel = definePolicy({ profile: DEFAULT_PROD, tenantScope: false, models: { Order: { tenantScope: { field: 'tenantId' } }, Product: {} } });
      expect(problems(() => createAdminOrmAI({ ...base, policy: oneScopedModel }))).toEqual([expect.stringMatching(/^models\.Order\.tenantScope/)]);
      expect(problems(() => createAdminOrmAI({ ...base, policy: adminPolicy(), adminRoles: [] }))).toEqual(['AdminConfigError']);
      expect(problems(() => createAdminOrmAI({ ...base, policy: adminPolicy(), adminRoles: [''] }))).toEqual(['AdminConfigError']);
      expect(problems(() => createAdminOrmAI({ ...base, policy: adminPolicy(), audit: undefined as never }))).toEqual(['AdminConfigError']);
      expect(problems(() => createAdminOrmAI({ ...base, policy: adminPolicy() }))).toEqual([]);
    });
  });
}
