import type { AggregatePlan, AggregateRow, ExecutionOptions, IncludeNode, OrmAIAdapter, Row, Scalar, SchemaInfo, SelectNode } from '@ormai/core';
import { classifyDatabaseError } from './classify-error.js';
import { runWrite, type WriteContext } from './write.js';
import type { Sequelize } from 'sequelize';
import { introspect, type TableMeta } from './introspect.js';
import { withPgReadSession } from './pg-session.js';
import { PgReadPool } from './pg-read-pool.js';
import { resolveRls, RlsConfigError, type ResolvedRls, type RlsOptions } from './rls/options.js';
import { pgScanGuard } from './scan/pg-scan-guard.js';
import type { ScanGuard } from './scan/scan-guard.js';
import { sqliteScanGuard } from './scan/sqlite-scan-guard.js';
import type { ReadSession } from './session.js';
import { postgresDialect, sqliteDialect, type SqlDialect } from './sql/dialect.js';
import {
  compileAggregate,
  compileIncludeSelect,
  compileRootSelect,
  GROUP_ALIAS,
  VALUE_ALIAS,
  type CompiledSql,
} from './sql/compile-select.js';
import { withSqliteLock } from './sqlite-lock.js';
import { withSqliteReadSession } from './sqlite-session.js';

interface Runtime {
  schema: SchemaInfo;
  dialect: SqlDialect;
  tables: Record<string, TableMeta>;
  guard: ScanGuard;
  rls?: ResolvedRls;
  withSession<T>(options: ExecutionOptions, work: (session: ReadSession) => Promise<T>): Promise<T>;
  /** Ends the connections OrmAI opened itself (PostgreSQL's read pool); Sequelize's own stay the application's. */
  close(): Promise<void>;
}

function decodeRow(dialect: SqlDialect, meta: TableMeta, raw: Row): Row {
  const row: Row = {};
  for (const [key, value] of Object.entries(raw)) {
    const type = meta.types[key];
    if (type) row[key] = dialect.decode(type, value);
  }
  return row;
}

/**
 * Guards, runs and classifies one statement; rows come back as the driver returned them. The guard's own
 * statements (statistics, EXPLAIN with the same values) fail the same ways the read does: classified alike.
 */
async function execute(rt: Runtime, session: ReadSession, statement: CompiledSql, options: ExecutionOptions): Promise<Row[]> {
  try {
    await rt.guard(session, statement, rt.tables[statement.model]!, options.maxScanRows);
    return await session.all(statement.sql, statement.params);
  } catch (error) {
    throw classifyDatabaseError(error, statement.model, options.statementTimeoutMs);
  }
}

async function run(rt: Runtime, session: ReadSession, statement: CompiledSql, options: ExecutionOptions): Promise<Row[]> {
  const meta = rt.tables[statement.model]!;
  return (await execute(rt, session, statement, options)).map((r) => decodeRow(rt.dialect, meta, r));
}

/** Loads each include for the whole batch of parent rows at once (one statement per relation), then nests the results. */
async function attachIncludes(rt: Runtime, session: ReadSession, parents: Row[], includes: IncludeNode[], options: ExecutionOptions) {
  for (const include of includes) {
    const { sourceKey, targetKey, name, kind } = include.relation;
    const keys = [...new Set(parents.map((p) => p[sourceKey]).filter((k) => k !== null && k !== undefined))] as Scalar[];
    const children = keys.length
      ? await run(rt, session, compileIncludeSelect(rt.dialect, rt.tables[include.model]!, include, keys), options)
      : [];
    await attachIncludes(rt, session, children, include.includes, options);
    const byKey = new Map<unknown, Row[]>();
    for (const child of children) {
      const list = byKey.get(child[targetKey]) ?? [];
      list.push(child);
      byKey.set(child[targetKey], list);
    }
    for (const parent of parents) {
      const related = byKey.get(parent[sourceKey]) ?? [];
      parent[name] = kind === 'hasMany' ? related : (related[0] ?? null);
    }
  }
}

export interface SequelizeAdapterOptions {
  /** Sees every SQL text before it is sent (values are never part of it): for debugging and tests. */
  onStatement?: (sql: string) => void;
  /**
   * PostgreSQL 12 and later: which plan a read runs, and so which plan its scan estimate reads. The plan
   * estimated is always the plan that runs.
   * - `'auto'` (default): the statement's generic plan (`plan_cache_mode = force_generic_plan`), one plan per
   *   statement text whatever the values, when that plan's estimate fits the budget: estimated once per text
   *   and kept 10 s, so new values cost no round trip. Otherwise the plan for the call's own values (EXPLAIN
   *   with the values on every call, right before it runs on that plan): nothing `false` serves is refused.
   * - `true`: generic plans only. A statement whose generic plan is over budget is refused for every value,
   *   with no EXPLAIN per call and an answer that never depends on the values; where a few tenants or values
   *   hold most rows, some queries a per-value plan would serve are refused.
   * - `false`: the plan for the values, always: an EXPLAIN round trip per new values on tables over budget.
   */
  genericPlans?: boolean | 'auto';
  /**
   * PostgreSQL row-level security as a backstop under the tenant predicate: every statement of a call (reads
   * on the read pool, scan estimates, writes and their reloads) runs as `role` with `setting` holding the
   * call's tenant. Put the tables under policies with `applyRlsPolicies`.
   */
  rls?: RlsOptions;
}

/** `ormai.health()` gives up sooner; this only stops a ping from holding a connection. */
const PING_TIMEOUT_MS = 5_000;

function observed(session: ReadSession, onStatement: SequelizeAdapterOptions['onStatement']): ReadSession {
  if (!onStatement) return session;
  return { ...session, all: (sql, params) => (onStatement(sql), session.all(sql, params)) };
}

function runtimeFor(sequelize: Sequelize, { onStatement, genericPlans = 'auto', rls: rlsOptions }: SequelizeAdapterOptions): Runtime {
  const { schema, tables } = introspect(sequelize);
  const rls = rlsOptions && resolveRls(rlsOptions);
  if (rls && sequelize.getDialect() !== 'postgres') throw new RlsConfigError(`row-level security needs PostgreSQL, not ${sequelize.getDialect()}`);
  switch (sequelize.getDialect()) {
    case 'postgres': {
      const pool = PgReadPool.forSequelize(sequelize, { genericPlans: genericPlans !== false, ...(rls ? { rls } : {}) });
      return {
        schema,
        dialect: postgresDialect,
        tables,
        guard: pgScanGuard({ valuesFallback: genericPlans !== true }),
        ...(rls ? { rls } : {}),
        withSession: (o, work) => withPgReadSession(pool, o, (s) => work(observed(s, onStatement))),
        close: () => pool.close(),
      };
    }
    case 'sqlite':
      return {
        schema,
        dialect: sqliteDialect,
        tables,
        guard: sqliteScanGuard(),
        withSession: (_o, work) => withSqliteReadSession(sequelize, (s) => work(observed(s, onStatement))),
        close: async () => undefined,
      };
    default:
      throw new Error(`@ormai/sequelize supports postgres and sqlite, not ${sequelize.getDialect()}`);
  }
}

/**
 * The OrmAI adapter over a Sequelize 6 instance. Define (and associate) your models first: the adapter
 * introspects them once. Plans compile to parameterized SQL whose identifiers all come from the model
 * definitions. Reads run on OrmAI's read-only pool (PostgreSQL) or Sequelize's connection (SQLite);
 * writes run in Sequelize transactions. On shutdown, after `ormai.close()`, `close()` ends the read pool;
 * close the Sequelize instance yourself.
 */
export function sequelizeAdapter(sequelize: Sequelize, options: SequelizeAdapterOptions = {}): OrmAIAdapter & { close(): Promise<void> } {
  const rt = runtimeFor(sequelize, options);
  const writes: WriteContext = {
    sequelize,
    dialect: rt.dialect,
    tables: rt.tables,
    decode: (meta, row) => decodeRow(rt.dialect, meta, row),
    serialize: rt.dialect.name === 'sqlite' ? (work) => withSqliteLock(sequelize, work) : (work) => work(),
    guard: rt.guard,
    ...(rt.rls ? { rls: rt.rls } : {}),
  };
  return {
    dialect: rt.dialect.name,
    capabilities: rt.dialect.capabilities,
    introspect: () => rt.schema,

    select(plan: SelectNode, options: ExecutionOptions): Promise<Row[]> {
      return rt.withSession(options, async (session) => {
        const rows = await run(rt, session, compileRootSelect(rt.dialect, rt.tables[plan.model]!, plan), options);
        await attachIncludes(rt, session, rows, plan.includes, options);
        return rows;
      });
    },

    write: (request, options, hooks) => runWrite(writes, request, options, hooks),

    // On the read pool (PostgreSQL): the connections calls use, not Sequelize's own.
    ping: () => rt.withSession({ maxScanRows: 1, statementTimeoutMs: PING_TIMEOUT_MS }, async (session) => void (await session.all('SELECT 1', []))),

    close: () => rt.close(),

    aggregate(plan: AggregatePlan, options: ExecutionOptions): Promise<AggregateRow[]> {
      const meta = rt.tables[plan.model]!;
      return rt.withSession(options, async (session) => {
        const rows = await execute(rt, session, compileAggregate(rt.dialect, meta, plan), options);
        const valueType = plan.op === 'min' || plan.op === 'max' ? meta.types[plan.field!]! : 'number';
        return rows.map((r) => ({
          keys: Object.fromEntries(plan.groupBy.map((g, i) => [g, rt.dialect.decode(meta.types[g]!, r[GROUP_ALIAS(i)])])),
          value: rt.dialect.decode(valueType, r[VALUE_ALIAS]) as AggregateRow['value'],
        }));
      });
    },
  };
}
