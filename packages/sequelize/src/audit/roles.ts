import type { Sequelize } from 'sequelize';
import { checkIdentifier, quoteName } from './tables.js';
import { AUDIT_VIEWS } from './views.js';

export interface AuditRoleNames {
  /** The application's role for writing and sealing: appends only. */
  writer: string;
  /** Verification and the saved queries: reads only. */
  reader: string;
  /** The retention job and erasure: the only role that deletes (archived rows) or clears payloads. */
  retention: string;
  schema?: string | undefined;
  tablePrefix?: string | undefined;
}

/**
 * PostgreSQL statements creating the three audit roles (NOLOGIN; grant them to your login roles) and
 * granting each exactly what it needs, after revoking what it had on the audit tables. No role may
 * UPDATE or DELETE chain links; only the writer updates the head row, which sealing advances.
 */
export function auditRolesSql(names: AuditRoleNames): string[] {
  const prefix = checkIdentifier('tablePrefix', names.tablePrefix ?? 'ormai_audit');
  const schema = names.schema === undefined ? undefined : checkIdentifier('schema', names.schema);
  const roles = [names.writer, names.reader, names.retention].map((role) => checkIdentifier('role', role));
  const [writer, reader, retention] = roles.map((role) => `"${role}"`) as [string, string, string];
  const table = (name: string) => quoteName(schema, `${prefix}_${name}`);
  const [records, subjects, queue, chain, heads, checkpoints] = ['records', 'subjects', 'queue', 'chain', 'heads', 'checkpoints'].map(table) as [string, string, string, string, string, string];
  const views = AUDIT_VIEWS.map((view) => table(view));
  const all = `${writer}, ${reader}, ${retention}`;
  const createRole = (role: string) => `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE "${role}" NOLOGIN; END IF; END $$`;
  const schemaUsage = schema
    ? `GRANT USAGE ON SCHEMA "${schema}" TO ${all}`
    : `DO $$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO ${roles.map(() => '%I').join(', ')}', current_schema(), ${roles.map((r) => `'${r}'`).join(', ')}); END $$`;
  return [
    ...roles.map(createRole),
    schemaUsage,
    `REVOKE ALL ON ${[records, subjects, queue, chain, heads, checkpoints, ...views].join(', ')} FROM ${all}`,
    `GRANT INSERT ON ${records}, ${subjects} TO ${writer}`,
    // A write skips ids already stored (INSERT ... ON CONFLICT (id) DO NOTHING RETURNING id): it reads ids, never payloads.
    `GRANT SELECT (id) ON ${records} TO ${writer}`,
    `GRANT INSERT, SELECT, DELETE ON ${queue} TO ${writer}`,
    `GRANT INSERT, SELECT ON ${chain} TO ${writer}`,
    `GRANT SELECT, INSERT, UPDATE ON ${heads} TO ${writer}`,
    `GRANT USAGE ON SEQUENCE ${table('queue_pos_seq')} TO ${writer}`,
    `GRANT SELECT ON ${[records, subjects, queue, chain, heads, checkpoints, ...views].join(', ')} TO ${reader}`,
    `GRANT SELECT ON ${[records, subjects, chain, heads, checkpoints].join(', ')} TO ${retention}`,
    `GRANT DELETE ON ${records}, ${subjects}, ${chain} TO ${retention}`,
    `GRANT UPDATE (payload, erased_at) ON ${records} TO ${retention}`,
    `GRANT INSERT ON ${checkpoints} TO ${retention}`,
  ];
}

/** Runs `auditRolesSql` (as a role allowed to create roles and grant on the audit tables, e.g. their owner). */
export async function createAuditRoles(sequelize: Sequelize, names: AuditRoleNames): Promise<void> {
  for (const sql of auditRolesSql(names)) await sequelize.query(sql);
}
