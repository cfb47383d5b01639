import { QueryTypes, type Sequelize } from 'sequelize';
import type { OrmAISetup } from '../config.js';
import { AuditCommandError } from './errors.js';

export type AuditDialect = 'postgres' | 'sqlite';

/** The SQL audit sink's tables as the read-only commands see them. */
export interface AuditSource {
  sequelize: Sequelize;
  dialect: AuditDialect;
  chain: string;
  tablePrefix: string;
  schema: string | undefined;
  /** Quoted, schema-qualified name of the records table. */
  records: string;
}

// The sink's own rule: identifiers go into SQL text (they cannot be bound), so only plain names pass.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,39}$/;

function identifier(kind: string, value: string): string {
  if (!IDENTIFIER.test(value)) throw new AuditCommandError('invalid_identifier', `audit.${kind} must match ${IDENTIFIER}: got ${JSON.stringify(value)}`);
  return value;
}

export const quoteName = (schema: string | undefined, name: string): string => (schema ? `"${schema}"."${name}"` : `"${name}"`);

/** Where the config's setup says the audit tables are (`audit: sink.location`); defaults match `sequelizeAuditSink`. */
export function auditSourceOf(location: OrmAISetup['audit']): AuditSource {
  if (!location) {
    throw new AuditCommandError('no_audit_location', 'the config\'s setup() returns no `audit` location: return `audit: sink.location` of your sequelizeAuditSink');
  }
  const dialect = location.sequelize.getDialect();
  if (dialect !== 'postgres' && dialect !== 'sqlite') throw new AuditCommandError('unsupported_dialect', `the SQL audit tables live on postgres or sqlite, not ${dialect}`);
  const tablePrefix = identifier('tablePrefix', location.tablePrefix ?? 'ormai_audit');
  const schema = location.schema === undefined ? undefined : identifier('schema', location.schema);
  return { sequelize: location.sequelize, dialect, chain: location.chain ?? 'default', tablePrefix, schema, records: quoteName(schema, `${tablePrefix}_records`) };
}

/** Values always go through `bind` (`$1`...), never into the SQL text. */
export async function selectRows<T = Record<string, unknown>>(source: AuditSource, sql: string, bind: unknown[]): Promise<T[]> {
  return (await source.sequelize.query(sql, { bind, type: QueryTypes.SELECT })) as T[];
}

/** A string field of a JSON text column, in the source's dialect (`key` is a constant of ours, never input). */
export const jsonText = (source: AuditSource, column: string, key: string): string =>
  source.dialect === 'postgres' ? `(${column}::jsonb ->> '${key}')` : `json_extract(${column}, '$.${key}')`;
