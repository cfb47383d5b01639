import type { Sequelize } from 'sequelize';
import { auditKeyFromSecret } from '@ormai/core';
import { sequelizeAuditSink, type SequelizeAuditSink } from '@ormai/sequelize';

/** The key the fixtures' instances sign checkpoints with (they share the secret 'test-secret'). */
export const AUDIT_KEY = auditKeyFromSecret('test-secret');

const TABLES = ['records', 'subjects', 'queue', 'chain', 'heads', 'checkpoints'];

/** A SQL audit sink on fresh tables of its own (`prefix`), migrated. */
export async function sqlAuditSink(sequelize: Sequelize, prefix: string): Promise<SequelizeAuditSink> {
  for (const table of TABLES) await sequelize.query(`DROP TABLE IF EXISTS "${prefix}_${table}" CASCADE`.replace(' CASCADE', sequelize.getDialect() === 'postgres' ? ' CASCADE' : ''));
  const sink = sequelizeAuditSink(sequelize, { tablePrefix: prefix, key: AUDIT_KEY });
  await sink.migrate();
  return sink;
}

/** Every row of every audit table, as text: what a grep of the database would see. */
export async function auditTablesText(sequelize: Sequelize, prefix: string): Promise<string> {
  const dumps = [];
  for (const table of TABLES) {
    const [rows] = await sequelize.query(`SELECT * FROM "${prefix}_${table}"`);
    dumps.push(JSON.stringify(rows));
  }
  return dumps.join('\n');
}
