import type { Sequelize } from 'sequelize';

/** The counter row every change bumps, whatever its tenant. */
export const ANY_TENANT = '*';

/**
 * Row triggers that count every insert, update and delete per tenant (old and new tenant of the row)
 * and in total, in a table of their own. Reading two counters after a call is how the property suite
 * tells "nothing changed" without digesting every table around every call. Triggers run in the
 * statement's transaction: a rolled-back write leaves the counters as they were, like the rows.
 */
export async function installChangeCounters(sequelize: Sequelize, tables: readonly string[], tenants: readonly string[]): Promise<void> {
  await sequelize.query('CREATE TABLE p_changes (tenant_id VARCHAR(64) PRIMARY KEY, n INTEGER NOT NULL)');
  for (const tenant of [ANY_TENANT, ...tenants]) {
    await sequelize.query('INSERT INTO p_changes (tenant_id, n) VALUES (:tenant, 0)', { replacements: { tenant } });
  }
  if (sequelize.getDialect() === 'postgres') {
    await sequelize.query(`CREATE FUNCTION p_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE p_changes SET n = n + 1 WHERE tenant_id = '${ANY_TENANT}'
          OR tenant_id = CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.tenant_id END
          OR tenant_id = CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.tenant_id END;
        RETURN NULL;
      END $$`);
    for (const table of tables) {
      await sequelize.query(`CREATE TRIGGER ${table}_changes AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION p_count_change()`);
    }
    return;
  }
  const tenantsOf = { INSERT: ['NEW'], UPDATE: ['OLD', 'NEW'], DELETE: ['OLD'] } as const;
  for (const table of tables) {
    for (const [event, rows] of Object.entries(tenantsOf)) {
      const touched = rows.map((row) => `${row}.tenant_id`).join(', ');
      await sequelize.query(
        `CREATE TRIGGER ${table}_${event.toLowerCase()}_changes AFTER ${event} ON ${table} FOR EACH ROW
         BEGIN UPDATE p_changes SET n = n + 1 WHERE tenant_id IN ('${ANY_TENANT}', ${touched}); END`,
      );
    }
  }
}

/** Changes counted so far, per tenant and under `ANY_TENANT`. */
export async function changeCounts(sequelize: Sequelize): Promise<Record<string, number>> {
  const [rows] = await sequelize.query('SELECT tenant_id, n FROM p_changes');
  return Object.fromEntries((rows as { tenant_id: string; n: number | string }[]).map((row) => [row.tenant_id, Number(row.n)]));
}
