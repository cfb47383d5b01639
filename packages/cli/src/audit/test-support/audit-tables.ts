import { randomBytes } from 'node:crypto';
import { sequelizeAuditSink, type SequelizeAuditSink } from '@ormai/sequelize';
import type { Sequelize } from 'sequelize';
import { connectShop, dropShop, newShopLocation, type ShopDialect, type ShopLocation } from '../../test-support/shop-database.js';
import { auditSourceOf, type AuditSource } from '../audit-source.js';

/** Migrated audit tables (a SQLite file, or a PostgreSQL schema with the views) under a prefix and chain of their own. */
export interface AuditTables {
  location: ShopLocation;
  sequelize: Sequelize;
  sink: SequelizeAuditSink;
  source: AuditSource;
  close(): Promise<void>;
}

export async function openAuditTables(dialect: ShopDialect, names: { tablePrefix?: string; chain?: string } = {}): Promise<AuditTables> {
  const location = newShopLocation(dialect);
  const sequelize = await connectShop(location);
  const sink = sequelizeAuditSink(sequelize, {
    tablePrefix: names.tablePrefix ?? `audit_${randomBytes(4).toString('hex')}`,
    chain: names.chain ?? 'review',
    autoSeal: false,
  });
  await sink.migrate();
  return {
    location,
    sequelize,
    sink,
    source: auditSourceOf(sink.location),
    async close() {
      await sequelize.close();
      await dropShop(location);
    },
  };
}
