import type { Sequelize } from 'sequelize';
import { AuditStoreError } from './errors.js';

export type AuditDialect = 'postgres' | 'sqlite';

/** Where one chain's audit tables live. */
export interface AuditLocation {
  sequelize: Sequelize;
  chain: string;
  tablePrefix: string;
  schema: string | undefined;
}

/** Quoted, schema-qualified names of the audit tables (identifiers cannot be bound, so they are checked). */
export interface AuditTables {
  records: string;
  subjects: string;
  queue: string;
  chain: string;
  heads: string;
  checkpoints: string;
}

/** The resolved location plus what every query needs: dialect and table names. */
export interface AuditStore extends AuditLocation {
  dialect: AuditDialect;
  tables: AuditTables;
}

// Short enough that `<prefix>_checkpoints_chain_seq` and sequence names stay under PostgreSQL's 63 bytes.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,39}$/;

export function checkIdentifier(kind: string, value: string): string {
  if (!IDENTIFIER.test(value)) throw new AuditStoreError('invalid_identifier', `${kind} must match ${IDENTIFIER}: got ${JSON.stringify(value)}`);
  return value;
}

export const quoteName = (schema: string | undefined, name: string): string => (schema ? `"${schema}"."${name}"` : `"${name}"`);

export function auditStore(location: AuditLocation): AuditStore {
  const dialect = location.sequelize.getDialect();
  if (dialect !== 'postgres' && dialect !== 'sqlite') throw new AuditStoreError('unsupported_dialect', `the SQL audit sink supports postgres and sqlite, not ${dialect}`);
  const prefix = checkIdentifier('tablePrefix', location.tablePrefix);
  if (location.schema !== undefined) {
    checkIdentifier('schema', location.schema);
    if (dialect === 'sqlite') throw new AuditStoreError('unsupported_dialect', 'schema is a PostgreSQL option');
  }
  const name = (table: string) => quoteName(location.schema, `${prefix}_${table}`);
  return {
    ...location,
    dialect,
    tables: {
      records: name('records'),
      subjects: name('subjects'),
      queue: name('queue'),
      chain: name('chain'),
      heads: name('heads'),
      checkpoints: name('checkpoints'),
    },
  };
}
