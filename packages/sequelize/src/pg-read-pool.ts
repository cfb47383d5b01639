import { ExecutionLimitError } from '@ormai/core';
import type { Sequelize } from 'sequelize';
import { isConnectionLoss } from './classify-error.js';
import type { ResolvedRls } from './rls/options.js';
import { readSessionSettings, setRoleSql } from './rls/session-sql.js';
import { statementTimeoutSql } from './sql/statement-timeout.js';

type TypeParser = (value: string) => unknown;

interface PgClient {
  query(config: string | { text: string; values: unknown[]; types?: { getTypeParser(oid: number, format?: string): TypeParser } }): Promise<{
    rows: Record<string, unknown>[];
  }>;
  getTypeParser(oid: number, format?: string): TypeParser;
  end(): Promise<void>;
  connection?: { stream?: { ref?(): void; unref?(): void } };
  _invalid?: boolean;
  _ending?: boolean;
}

interface Pooled {
  client: PgClient;
  timeoutMs: number | null;
  /** The connection can run generic plans (asked for, and the server has plan_cache_mode). */
  genericPlans: boolean;
  /** Statements run generic plans now: a capable connection starts so, the scan guard switches it per statement. */
  generic: boolean;
  /** The tenant the connection's RLS setting holds (undefined: not set yet). */
  tenant?: string | null;
}

/** What `use` tells its work about the connection. */
export interface PgReadConnection {
  /** The connection can run the generic plan of each statement text (`plan_cache_mode = force_generic_plan`). */
  genericPlans: boolean;
  /** The statements that follow run their text's generic plan (true) or a plan for their values (false): a round trip only when that changes. */
  useGenericPlans(on: boolean): Promise<void>;
}

const READ_ONLY = 'SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY';
const planCacheMode = (generic: boolean) => `SET plan_cache_mode = ${generic ? 'force_generic_plan' : 'auto'}`;
// With generic plans, every parameterized statement runs the one plan of its text, so the plan the scan guard
// estimated once is the plan that runs for any values (see pg-scan-guard.ts). In one round trip with READ ONLY.
const GENERIC_PLANS = `${READ_ONLY}; ${planCacheMode(true)}`;
// Servers before PostgreSQL 12 have no plan_cache_mode: the guard then estimates each statement's own plan.
const UNKNOWN_SETTING = '42704';

/**
 * A server-side error (it has a SQLSTATE) leaves the connection usable, unless it says the connection is ending
 * (a terminated backend's error arrives before its socket closes), and so does a limit OrmAI enforced itself
 * (a refused scan never reached the server); anything else may not.
 */
const leavesConnectionUsable = (error: unknown) =>
  ExecutionLimitError.isInstance(error) || (!isConnectionLoss(error) && /^[0-9A-Z]{5}$/.test(String((error as { code?: unknown })?.code ?? '')));

/**
 * Makes the session read-only, under the RLS role if any and, when asked and the server can, generic-plan
 * only; says whether it is.
 */
async function setUpSession(client: PgClient, genericPlans: boolean, rls: ResolvedRls | undefined): Promise<boolean> {
  const role = rls ? `; ${setRoleSql(rls)}` : '';
  if (genericPlans) {
    try {
      await client.query(GENERIC_PLANS + role);
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code !== UNKNOWN_SETTING) throw error;
    }
  }
  await client.query(READ_ONLY + role);
  return false;
}

/** Thrown by `use` once the pool is closed: a call after shutdown is the application's mistake, not the database's. */
export class PgReadPoolClosedError extends Error {
  constructor() {
    super("The OrmAI read pool is closed (the adapter's close() was called)");
    this.name = 'PgReadPoolClosedError';
  }
}

/**
 * OrmAI's own small pool of PostgreSQL connections for reads. Each connection is read-only for its whole
 * session and keeps its statement_timeout between uses, so a read costs exactly one round trip per
 * statement: no BEGIN, SET LOCAL or COMMIT around it. (At READ COMMITTED a transaction would not give the
 * statements of one call a shared snapshot anyway.) The application's Sequelize pool is never touched,
 * so none of this session state can leak into its queries.
 *
 * Under row-level security (`rls`) each connection also runs as the RLS role from its first statement,
 * and its setting holds the tenant of the last call that used it: a call of another tenant costs one more
 * round trip (timeout and tenant together), a call of the same tenant none.
 *
 * Connections are opened through Sequelize's connection manager, so its hooks, credentials, time zone and
 * type parsers apply. Idle connections do not keep the process alive. `close()` ends them: `sequelize.close()`
 * does not know them.
 */
export class PgReadPool {
  private readonly idle: Pooled[] = [];
  private readonly waiters: Array<{ resolve: (pooled: Pooled) => void; reject: (error: unknown) => void }> = [];
  private size = 0;
  private closing?: Promise<void>;

  constructor(
    private readonly open: () => Promise<PgClient>,
    private readonly max: number,
    private readonly genericPlans = false,
    private readonly rls?: ResolvedRls,
  ) {}

  /**
   * `genericPlans`: every connection starts on generic plans and can switch (see SequelizeAdapterOptions.genericPlans).
   * `rls`: every connection runs as the role, with the setting holding the tenant of the call using it.
   */
  static forSequelize(sequelize: Sequelize, { genericPlans = false, rls }: { genericPlans?: boolean; rls?: ResolvedRls } = {}): PgReadPool {
    const manager = sequelize.connectionManager as unknown as { _connect(config: unknown): Promise<PgClient>; config: { pool?: { max?: number } } };
    return new PgReadPool(() => manager._connect(manager.config), manager.config.pool?.max ?? 5, genericPlans, rls);
  }

  /**
   * Runs `work` on a read-only connection whose statement_timeout is `timeoutMs` and, under RLS, whose
   * setting holds `tenantId`. A connection keeps both between uses: a round trip only when one changes.
   */
  async use<T>(timeoutMs: number, work: (client: PgClient, connection: PgReadConnection) => Promise<T>, tenantId: string | null = null): Promise<T> {
    const pooled = await this.acquire();
    let healthy = true;
    try {
      if (this.rls && (pooled.timeoutMs !== timeoutMs || pooled.tenant !== tenantId)) {
        await pooled.client.query(readSessionSettings(this.rls, timeoutMs, tenantId));
        pooled.timeoutMs = timeoutMs;
        pooled.tenant = tenantId;
      } else if (pooled.timeoutMs !== timeoutMs) {
        await pooled.client.query(statementTimeoutSql(timeoutMs, false));
        pooled.timeoutMs = timeoutMs;
      }
      return await work(pooled.client, { genericPlans: pooled.genericPlans, useGenericPlans: (on) => this.useGenericPlans(pooled, on) });
    } catch (error) {
      healthy = leavesConnectionUsable(error);
      throw error;
    } finally {
      this.release(pooled, healthy);
    }
  }

  /**
   * Ends the idle connections and refuses waiting and later callers (`PgReadPoolClosedError`); a connection in
   * use ends when its call releases it. Calling it again waits for the same ending.
   */
  close(): Promise<void> {
    this.closing ??= this.endIdle();
    return this.closing;
  }

  private async endIdle(): Promise<void> {
    for (const waiter of this.waiters.splice(0)) waiter.reject(new PgReadPoolClosedError());
    const idle = this.idle.splice(0);
    this.size -= idle.length;
    await Promise.all(idle.map((pooled) => pooled.client.end().catch(() => undefined)));
  }

  private async acquire(): Promise<Pooled> {
    if (this.closing) throw new PgReadPoolClosedError();
    while (this.idle.length) {
      const pooled = this.idle.pop()!;
      if (!pooled.client._invalid && !pooled.client._ending) {
        pooled.client.connection?.stream?.ref?.();
        return pooled;
      }
      this.size -= 1;
    }
    if (this.size >= this.max) return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.size += 1;
    let client: PgClient | undefined;
    try {
      client = await this.open();
      const genericPlans = await setUpSession(client, this.genericPlans, this.rls);
      // Closed while this connection opened: it ends like one whose setup failed.
      if (this.closing) throw new PgReadPoolClosedError();
      return { client, timeoutMs: null, genericPlans, generic: genericPlans };
    } catch (error) {
      // A connection whose setup failed is closed, not leaked; its slot goes to the next waiter, which would
      // otherwise wait for a release that never comes.
      client?.end().catch(() => undefined);
      this.size -= 1;
      const waiter = this.waiters.shift();
      if (waiter) this.acquire().then(waiter.resolve, waiter.reject);
      throw error;
    }
  }

  private async useGenericPlans(pooled: Pooled, on: boolean): Promise<void> {
    if (pooled.generic === on) return;
    await pooled.client.query(planCacheMode(on));
    pooled.generic = on;
  }

  private release(pooled: Pooled, healthy: boolean) {
    if (!healthy || pooled.client._invalid || this.closing) {
      this.size -= 1;
      pooled.client.end().catch(() => undefined);
      // The next waiter gets a new connection, or why none can be opened (the server is down): never left waiting.
      const waiter = this.waiters.shift();
      if (waiter) this.acquire().then(waiter.resolve, waiter.reject);
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) return waiter.resolve(pooled);
    pooled.client.connection?.stream?.unref?.();
    this.idle.push(pooled);
  }
}
