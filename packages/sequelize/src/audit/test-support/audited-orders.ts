import { DataTypes, QueryTypes, type Sequelize } from 'sequelize';
import { createOrmAI, DEFAULT_PROD, definePolicy, type ApprovalStore, type AuditOptions, type OrmAI, type TenantRunContext } from '@ormai/core';
import { sequelizeAdapter } from '../../sequelize-adapter.js';

export const ACME: TenantRunContext = { tenantId: 'acme', userId: 'u-acme' };

/** An `orders` table (of its own name, so several tests share a database) with `count` Acme orders, status 'open'. */
export async function seedOrders(sequelize: Sequelize, table: string, count: number): Promise<number[]> {
  const Order = sequelize.define('Order', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    tenantId: { type: DataTypes.STRING(64), allowNull: false, field: 'tenant_id' },
    status: { type: DataTypes.STRING(40), allowNull: false },
  }, { tableName: table, timestamps: false, indexes: [{ fields: ['tenant_id', 'status'] }] });
  await Order.sync();
  const rows = await Order.bulkCreate(Array.from({ length: count }, () => ({ tenantId: 'acme', status: 'open' })), { returning: true });
  return rows.map((row) => row.get('id') as number);
}

/** OrmAI over the orders (update allowed, cancelling needs a supervisor's approval, fail_closed audit) with `audit` as its trail. */
export function auditedOrmAI(sequelize: Sequelize, audit: AuditOptions, approvals?: ApprovalStore): OrmAI {
  const policy = definePolicy({
    profile: DEFAULT_PROD,
    tenantScope: { field: 'tenantId' },
    readOnly: false,
    audit: { onFailure: 'fail_closed' },
    models: {
      Order: {
        write: {
          update: true, writableFields: ['status'], maxWritesPerMinute: 1_000,
          approvals: [{ name: 'cancel', operations: ['update'], fieldsChanged: ['status'], when: { field: 'status', op: 'eq', value: 'cancelled' }, approverRoles: ['supervisor'], slaMs: 900_000 }],
        },
      },
    },
  });
  return createOrmAI({ adapter: sequelizeAdapter(sequelize), policy, secret: 'audit-test-secret', audit, ...(approvals ? { approvals } : {}) });
}

export async function statuses(sequelize: Sequelize, table: string): Promise<Map<number, string>> {
  const rows = await sequelize.query<{ id: number; status: string }>(`SELECT id, status FROM "${table}" ORDER BY id`, { type: QueryTypes.SELECT });
  return new Map(rows.map((row) => [Number(row.id), row.status]));
}
