import { Sequelize } from 'sequelize';
import { describe, expect, it } from 'vitest';
import { sequelizeAdapter } from '../sequelize-adapter.js';
import { RlsConfigError } from './options.js';
import { rlsPolicySql } from './policy-sql.js';

describe('rlsPolicySql', () => {
  const sql = rlsPolicySql({
    role: 'app_agent',
    schema: 'shop',
    tables: [{ table: 'orders', tenantColumn: 'tenant_id' }, { table: 'accounts', tenantColumn: 'org', tenantType: 'uuid' }],
    sharedTables: ['products'],
  });

  it('puts each tenant table under a forced policy for the role, keyed on the setting', () => {
    const match = `"tenant_id" = current_setting('ormai.tenant_id', true)`;
    expect(sql).toEqual(
      expect.arrayContaining([
        'ALTER TABLE "shop"."orders" ENABLE ROW LEVEL SECURITY',
        'ALTER TABLE "shop"."orders" FORCE ROW LEVEL SECURITY',
        'DROP POLICY IF EXISTS ormai_tenant_isolation ON "shop"."orders"',
        `CREATE POLICY ormai_tenant_isolation ON "shop"."orders" FOR ALL TO "app_agent" USING (${match}) WITH CHECK (${match})`,
      ]),
    );
    expect(sql.join('\n')).toContain(`"org" = NULLIF(current_setting('ormai.tenant_id', true), '')::uuid`);
    expect(rlsPolicySql({ role: 'r', force: false, tables: [{ table: 't', tenantColumn: 'c' }] })).toContain('ALTER TABLE "t" NO FORCE ROW LEVEL SECURITY');
  });

  it('grants the role the tables, shared tables, schema and sequences, and nothing else', () => {
    expect(sql.filter((s) => s.startsWith('GRANT'))).toEqual([
      'GRANT USAGE ON SCHEMA "shop" TO "app_agent"',
      'GRANT USAGE ON ALL SEQUENCES IN SCHEMA "shop" TO "app_agent"',
      'GRANT SELECT, INSERT, UPDATE, DELETE ON "shop"."orders" TO "app_agent"',
      'GRANT SELECT, INSERT, UPDATE, DELETE ON "shop"."accounts" TO "app_agent"',
      'GRANT SELECT, INSERT, UPDATE, DELETE ON "shop"."products" TO "app_agent"',
    ]);
  });

  it('without a schema, grants on the current one', () => {
    expect(rlsPolicySql({ role: 'r', tables: [] })).toContain(`DO $$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO "r"', current_schema()); END $$`);
  });

  it('refuses names that are not plain identifiers', () => {
    expect(() => rlsPolicySql({ role: 'x"; DROP TABLE t; --', tables: [] })).toThrow(RlsConfigError);
    expect(() => rlsPolicySql({ role: 'r', setting: 'no_dot', tables: [] })).toThrow(/rls.setting/);
    expect(() => rlsPolicySql({ role: 'r', setting: "a.b', true) OR true --", tables: [] })).toThrow(/rls.setting/);
    expect(() => rlsPolicySql({ role: 'r', schema: 'a"b', tables: [] })).toThrow(/schema/);
    expect(() => rlsPolicySql({ role: 'r', tables: [{ table: 't', tenantColumn: 'c', tenantType: 'int); DROP TABLE t; --' }] })).toThrow(/tenantType/);
  });

  it('the adapter option needs PostgreSQL', async () => {
    const sqlite = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false });
    expect(() => sequelizeAdapter(sqlite, { rls: { role: 'app_agent' } })).toThrow(RlsConfigError);
    await sqlite.close();
  });
});
