import { QueryTypes, type Sequelize } from 'sequelize';
import { sequelizeAuditSink, type SequelizeAuditSink, type SequelizeAuditSinkOptions } from '../sink.js';
import { openPgSchema, openSqliteFile, uniqueName } from './databases.js';

export const DIALECTS = ['sqlite', 'postgres'] as const;
export type TestDialect = (typeof DIALECTS)[number];

export const AUDIT_TABLES = ['records', 'subjects', 'queue', 'chain', 'heads', 'checkpoints'] as const;

/** One database (a SQLite file, or a PostgreSQL schema) with migrated audit tables under a prefix of its own. */
export interface AuditTestDb {
  dialect: TestDialect;
  sequelize: Sequelize;
  prefix: string;
  /** Quoted name of an audit table (or view). */
  table(name: string): string;
  /** A sink on these tables: a fresh chain unless `chain` is given, autoSeal off unless asked. */
  sink(options?: SequelizeAuditSinkOptions): SequelizeAuditSink;
  /** Another Sequelize instance on the same database (another "process"). */
  connect(): Sequelize;
  rows<T = Record<string, unknown>>(sql: string, bind?: unknown[]): Promise<T[]>;
  run(sql: string, bind?: unknown[]): Promise<void>;
  close(): Promise<void>;
}

export async function openAuditDb(dialect: TestDialect): Promise<AuditTestDb> {
  const prefix = uniqueName('audit');
  const opened = dialect === 'sqlite' ? openSqliteFile() : await openPgSchema();
  const sequelize = opened.connect();
  const sink = (options: SequelizeAuditSinkOptions = {}) => sequelizeAuditSink(sequelize, { tablePrefix: prefix, chain: uniqueName('chain'), autoSeal: false, ...options });
  await sink().migrate();
  return {
    dialect,
    sequelize,
    prefix,
    table: (name) => `"${prefix}_${name}"`,
    sink,
    connect: () => opened.connect(),
    rows: async <T>(sql: string, bind: unknown[] = []) => (await sequelize.query(sql, { bind, type: QueryTypes.SELECT })) as T[],
    run: async (sql, bind = []) => {
      await sequelize.query(sql, { bind });
    },
    close: () => opened.close(),
  };
}
