import type { ApprovalRecord, ApprovalStatus, ApprovalStore } from '@ormai/core';
import { DataTypes, type Model, type ModelStatic, type Sequelize, type Transaction } from 'sequelize';
import { withSharedConnectionLock } from './sqlite-lock.js';

/**
 * Durable approval queue in the application's database (table `ormai_approvals` by default). Status and
 * expiry are columns, so transitions are atomic compare-and-set updates; the full record is kept as JSON.
 * When a write runs after approval, its record is closed in the write's own transaction. On an in-memory
 * SQLite database (one connection shared with every transaction) the statements run outside a
 * transaction take the instance's lock: else a concurrent dry run's rollback would take them with it.
 */
export function sequelizeApprovalStore(sequelize: Sequelize, { tableName = 'ormai_approvals' } = {}): ApprovalStore & { ready(): Promise<void> } {
  const Approval: ModelStatic<Model> = sequelize.define(
    'OrmaiApproval',
    {
      id: { type: DataTypes.STRING(64), primaryKey: true },
      version: { type: DataTypes.INTEGER, allowNull: false },
      tenantId: { type: DataTypes.STRING(256), field: 'tenant_id' },
      status: { type: DataTypes.STRING(16), allowNull: false },
      expiresAt: { type: DataTypes.BIGINT, allowNull: false, field: 'expires_at' },
      record: { type: DataTypes.TEXT, allowNull: false },
    },
    { tableName, timestamps: false, indexes: [{ fields: ['status', 'expires_at'] }, { fields: ['tenant_id', 'status'] }] },
  );
  let synced: Promise<unknown> | undefined;
  const ready = async () => {
    synced ??= Approval.sync();
    await synced;
  };
  const parse = (row: Model) => JSON.parse(String(row.get('record'))) as ApprovalRecord;
  const outsideTransactions = <T>(work: () => Promise<T>) => withSharedConnectionLock(sequelize, work);

  async function update(id: string, version: number, patch: Partial<ApprovalRecord>, tx: Transaction | undefined): Promise<boolean> {
    await ready();
    const row = await Approval.findByPk(id, { ...(tx ? { transaction: tx } : {}) });
    if (!row || Number(row.get('version')) !== version) return false;
    const next = { ...parse(row), ...patch, version: version + 1 };
    // Compare-and-set on the version: of two concurrent updates from the same version, one wins.
    const [changed] = await Approval.update(
      { version: version + 1, status: next.status, expiresAt: next.expiresAt, record: JSON.stringify(next) },
      { where: { id, version }, ...(tx ? { transaction: tx } : {}) },
    );
    return changed === 1;
  }

  return {
    transactional: true,
    ready,
    create: (record) => outsideTransactions(async () => {
      await ready();
      await Approval.create({ id: record.id, version: record.version, tenantId: record.tenantId, status: record.status, expiresAt: record.expiresAt, record: JSON.stringify(record) });
    }),
    get: (id) => outsideTransactions(async () => {
      await ready();
      const row = await Approval.findByPk(id);
      return row ? parse(row) : null;
    }),
    // Inside a write's transaction: the write already holds the lock.
    update: (id, version, patch, transaction) =>
      transaction ? update(id, version, patch, transaction as Transaction) : outsideTransactions(() => update(id, version, patch, undefined)),
    list: (filter: { status?: ApprovalStatus; tenantId?: string }) => outsideTransactions(async () => {
      await ready();
      const where = { ...(filter.status ? { status: filter.status } : {}), ...(filter.tenantId ? { tenantId: filter.tenantId } : {}) };
      return (await Approval.findAll({ where, order: [['expires_at', 'ASC']] })).map(parse);
    }),
  };
}
