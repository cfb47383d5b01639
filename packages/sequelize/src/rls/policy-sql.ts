import { checkIdentifier, quoteIdent, resolveRls, RlsConfigError, type RlsOptions } from './options.js';

export interface RlsTable {
  table: string;
  /** The column holding the tenant id (the column name, not the Sequelize attribute). */
  tenantColumn: string;
  /** The column's SQL type when it is not text (`uuid`, `integer`...): the setting is cast to it. */
  tenantType?: string;
}

export interface RlsPolicyOptions extends RlsOptions {
  /** The tenant tables: each gets a policy keyed on the setting. */
  tables: RlsTable[];
  /** Tables the role may also use, without a policy (tenant-free reference data the agent reads). */
  sharedTables?: string[];
  /** The tables' schema. Default: unqualified names, and the grants on the current schema. */
  schema?: string;
  /**
   * `FORCE ROW LEVEL SECURITY`, so the table owner is held to the policies too. Default true. With it, an
   * application connecting as the owner (not a superuser) sees no rows of these tables: give it a policy
   * of its own, or pass false.
   */
  force?: boolean;
}

export const RLS_POLICY_NAME = 'ormai_tenant_isolation';

const TYPE_NAME = /^[A-Za-z_][A-Za-z0-9_ ]*(\[\])?$/;

function tenantMatch({ tenantColumn, tenantType }: RlsTable, setting: string): string {
  // missing_ok: a session that never set it reads NULL (or '' once set elsewhere): no row matches either.
  const value = `current_setting('${setting}', true)`;
  if (tenantType === undefined) return `${quoteIdent(tenantColumn)} = ${value}`;
  if (!TYPE_NAME.test(tenantType)) throw new RlsConfigError(`tenantType must be a SQL type name, not ${JSON.stringify(tenantType)}`);
  return `${quoteIdent(tenantColumn)} = NULLIF(${value}, '')::${tenantType}`;
}

/** Grants on the named schema, or on the current one (resolved when the statement runs). */
function schemaGrants(schema: string | undefined, role: string): string[] {
  const grants = [`GRANT USAGE ON SCHEMA %I TO "${role}"`, `GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO "${role}"`];
  if (schema !== undefined) return grants.map((grant) => grant.replace('%I', `"${schema}"`));
  // Names are plain identifiers (checked): nothing in them needs escaping inside the literal.
  return grants.map((grant) => `DO $$ BEGIN EXECUTE format('${grant}', current_schema()); END $$`);
}

/**
 * The statements that put `tables` under row-level security for `role`, in order: the role (NOLOGIN, when
 * missing), its grants (the tables, the schema, the schema's sequences for generated keys), and per table
 * ENABLE (and FORCE) ROW LEVEL SECURITY and a policy for every command whose USING and WITH CHECK compare
 * the tenant column with the setting. Idempotent: the policy is dropped if it exists and created again.
 * The user the application connects as must be a member of the role (`GRANT role TO app_user`).
 */
export function rlsPolicySql(options: RlsPolicyOptions): string[] {
  const { role, setting } = resolveRls(options);
  const schema = options.schema === undefined ? undefined : checkIdentifier('schema', options.schema);
  const name = (table: string) => (schema ? `"${schema}".` : '') + quoteIdent(table);
  const grant = (table: string) => `GRANT SELECT, INSERT, UPDATE, DELETE ON ${name(table)} TO "${role}"`;
  const statements = [
    `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE "${role}" NOLOGIN; END IF; END $$`,
    ...schemaGrants(schema, role),
  ];
  for (const table of options.tables) {
    const match = tenantMatch(table, setting);
    statements.push(
      grant(table.table),
      `ALTER TABLE ${name(table.table)} ENABLE ROW LEVEL SECURITY`,
      `ALTER TABLE ${name(table.table)} ${options.force === false ? 'NO FORCE' : 'FORCE'} ROW LEVEL SECURITY`,
      `DROP POLICY IF EXISTS ${RLS_POLICY_NAME} ON ${name(table.table)}`,
      `CREATE POLICY ${RLS_POLICY_NAME} ON ${name(table.table)} FOR ALL TO "${role}" USING (${match}) WITH CHECK (${match})`,
    );
  }
  for (const table of options.sharedTables ?? []) statements.push(grant(table));
  return statements;
}
