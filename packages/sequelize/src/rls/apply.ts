import type { Sequelize } from 'sequelize';
import { rlsPolicySql, type RlsPolicyOptions } from './policy-sql.js';

/** Runs `rlsPolicySql(options)` in one transaction, as the Sequelize connection's user (the tables' owner or a superuser). */
export async function applyRlsPolicies(sequelize: Sequelize, options: RlsPolicyOptions): Promise<void> {
  const statements = rlsPolicySql(options);
  await sequelize.transaction(async (transaction) => {
    for (const sql of statements) await sequelize.query(sql, { transaction });
  });
}
