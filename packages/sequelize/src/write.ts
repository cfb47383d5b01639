import { errorWording, errors, type ExecutionOptions, type Row, type Scalar, type WriteEffect, type WriteHooks, type WriteRequest } from '@ormai/core';
import { QueryTypes, Transaction, type ModelStatic, type Sequelize } from 'sequelize';
import { classifyDatabaseError } from './classify-error.js';
import type { TableMeta } from './introspect.js';
import { compileTargetSelect, type CompiledSql } from './sql/compile-select.js';
import { compileDelete, compileUpdate } from './sql/compile-write.js';
import type { ResolvedRls } from './rls/options.js';
import { enterWriteSql, leaveWriteSql } from './rls/session-sql.js';
import type { ScanGuard } from './scan/scan-guard.js';
import type { ReadSession } from './session.js';
import type { SqlDialect } from './sql/dialect.js';
import { statementTimeoutSql } from './sql/statement-timeout.js';

/** Carries a dry run's effect out of the transaction it rolls back. */
class DryRunRollback extends Error {
  constructor(readonly effect: WriteEffect) {
    super('dry run');
  }
}

export interface WriteContext {
  sequelize: Sequelize;
  dialect: SqlDialect;
  tables: Record<string, TableMeta>;
  decode(meta: TableMeta, row: Row): Row;
  /**
   * Serializes writes where the database takes one writer at a time (SQLite: the instance's lock, shared with
   * the SQL audit sink's transactions and, in memory, the reads). The write's audit record joins its transaction.
   */
  serialize<T>(work: () => Promise<T>): Promise<T>;
  /** The read path's scan guard: the selects a write runs (targets, references) are held to the same budget. */
  guard: ScanGuard;
  /** PostgreSQL row-level security: the write's own statements run as the role with the call's tenant. */
  rls?: ResolvedRls;
}

/**
 * One write in one Sequelize transaction: load (and lock) the targets, let core's guard decide, change
 * exactly those rows by primary key, reload them, let core record what must commit with the write.
 * Creates go through Model.create so model defaults, validations and hooks apply; updates run the model's
 * validators on the changed fields before a parameterized UPDATE.
 */
export function runWrite(ctx: WriteContext, request: WriteRequest, options: ExecutionOptions, hooks: WriteHooks): Promise<WriteEffect> {
  const { sequelize, dialect } = ctx;
  const meta = ctx.tables[request.model]!;
  const model = sequelize.models[request.model] as ModelStatic<any>;
  const pk = meta.primaryKey;

  const work = async (transaction: Transaction): Promise<WriteEffect> => {
    const select = async (sql: string, bind: unknown[]) => (await sequelize.query(sql, { bind, transaction, type: QueryTypes.SELECT, raw: true })) as Row[];
    const session: ReadSession = { all: select };
    const run = (statement: CompiledSql) => session.all(statement.sql, statement.params);
    // A locking select over a whole table is as costly as the read the read tools refuse: guard it first.
    const guarded = async (statement: CompiledSql) => {
      await ctx.guard(session, statement, ctx.tables[statement.model]!, options.maxScanRows);
      return run(statement);
    };
    // Reloads carry the scope too: with a key unique per tenant only, another tenant's row shares the id.
    const reload = async (keys: Scalar[]) =>
      keys.length
        ? (await run(compileTargetSelect(dialect, meta, { kind: 'and', children: [request.scope, { kind: 'cmp', field: pk, op: 'in', value: keys }] }, keys.length, null))).map((r) => ctx.decode(meta, r))
        : [];
    // The changed rows in key order: as the UPDATE returned them, or reloaded where it cannot return them.
    const update = async (statement: CompiledSql & { returnsRows: boolean }, keys: Scalar[]) => {
      if (!statement.returnsRows) {
        await sequelize.query(...statementArgs(statement, transaction));
        return reload(keys);
      }
      const position = new Map(keys.map((key, i) => [key, i]));
      const rows = (await run(statement)).map((r) => ctx.decode(meta, r));
      return rows.sort((a, b) => position.get(a[pk] as Scalar)! - position.get(b[pk] as Scalar)!);
    };
    let roleBefore: string | null = null;
    if (ctx.rls) {
      const enter = enterWriteSql(ctx.rls, options.statementTimeoutMs, options.tenantId);
      roleBefore = String((await select(enter.sql, enter.bind))[0]?.previous);
    } else if (dialect.name === 'postgres') await sequelize.query(statementTimeoutSql(options.statementTimeoutMs, true), { transaction });
    // Referenced rows must exist in the caller's tenant, and stay there until commit.
    for (const ref of request.references) {
      const found = await guarded(compileTargetSelect(dialect, ctx.tables[ref.model]!, ref.filter, 1, request.dryRun ? null : 'share'));
      if (!found.length) throw errors.invalidInput(errorWording.invalidInput.missingReference(ref.field, ref.model), { field: ref.field, model: ref.model });
    }
    const lock = request.dryRun ? null : 'update';
    const before = request.operation === 'create' ? [] : (await guarded(compileTargetSelect(dialect, meta, request.filter, request.maxRows + 1, lock))).map((r) => ctx.decode(meta, r));
    await hooks.beforeChange(before);
    const keys = before.map((r) => r[pk] as Scalar);
    let after: Row[] = [];
    switch (request.operation) {
      case 'create': {
        if (request.dryRun) {
          // A preview validates the new row without inserting it: no hooks fire (validate hooks included), no sequence advances.
          const built = model.build(request.values);
          await built.validate({ hooks: false });
          after = [ctx.decode(meta, built.get({ plain: true }) as Row)];
          break;
        }
        const created = await model.create(request.values, { transaction });
        after = await reload([created.get(pk) as Scalar]);
        break;
      }
      case 'update':
      case 'bulk_update':
      case 'soft_delete':
        if (!keys.length) break;
        for (const row of before) await model.build({ ...row, ...request.values }, { isNewRecord: false }).validate({ fields: Object.keys(request.values) });
        after = await update(compileUpdate(dialect, meta, request.values, keys, request.scope, new Date()), keys);
        break;
      case 'delete':
        if (keys.length) await sequelize.query(...statementArgs(compileDelete(dialect, meta, keys, request.scope), transaction));
        break;
    }
    const effect = { before, after };
    // What commits with the write (its audit record, the approval's state) is OrmAI's, not the agent's: not under the role.
    if (roleBefore !== null) {
      const leave = leaveWriteSql(roleBefore);
      await select(leave.sql, leave.bind);
    }
    await hooks.afterChange?.(effect, transaction);
    if (request.dryRun) throw new DryRunRollback(effect);
    return effect;
  };

  const type = dialect.name === 'sqlite' ? Transaction.TYPES.IMMEDIATE : undefined;
  return ctx.serialize(async () => {
    try {
      return await sequelize.transaction({ ...(type ? { type } : {}) }, work);
    } catch (error) {
      if (error instanceof DryRunRollback) return error.effect;
      throw classifyDatabaseError(error, request.model, options.statementTimeoutMs);
    }
  });
}

const statementArgs = (statement: CompiledSql, transaction: Transaction) =>
  [statement.sql, { bind: statement.params, transaction, raw: true }] as const;
