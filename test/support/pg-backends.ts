import { setTimeout as sleep } from 'node:timers/promises';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

const rows = <T extends object>(admin: Sequelize, sql: string, bind: unknown[] = []) => admin.query<T>(sql, { bind, type: QueryTypes.SELECT });

/**
 * The backend whose statement matches `pattern` (ILIKE) and waits on a lock: a statement known to be in
 * flight. Polls pg_stat_activity until one shows up (bounded).
 */
export async function lockedBackend(admin: Sequelize, pattern: string): Promise<number> {
  for (let attempt = 0; attempt < 1_500; attempt++) {
    const [found] = await rows<{ pid: number }>(
      admin,
      `SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND query ILIKE $1 ORDER BY query_start LIMIT 1`,
      [pattern],
    );
    if (found) return Number(found.pid);
    await sleep(10);
  }
  throw new Error(`no backend waits on a lock running ${pattern}`);
}

/** Kills a backend the way an operator or a failover does: its client sees the connection terminated. */
export async function terminateBackend(admin: Sequelize, pid: number): Promise<void> {
  const [done] = await rows<{ ok: boolean }>(admin, 'SELECT pg_terminate_backend($1) AS ok', [pid]);
  if (!done?.ok) throw new Error(`backend ${pid} was not terminated`);
}

/** Runs `sql` (a LOCK, a SELECT ... FOR UPDATE) in a transaction held open until the returned release is called. */
export async function holdLock(admin: Sequelize, sql: string, bind: unknown[] = []): Promise<() => Promise<void>> {
  const transaction: Transaction = await admin.transaction();
  await admin.query(sql, { bind, transaction });
  // The server may have gone away meanwhile (a crash test): then there is nothing left to release.
  return () => transaction.rollback().catch(() => undefined);
}

/**
 * The connections an application opened (by application_name), counted by state, once none is still active.
 * A client learns of its statement's error before the backend reports itself idle: polled (bounded), and
 * whatever stays active past the bound is counted as it is.
 */
export async function settledConnectionStates(admin: Sequelize, application: string): Promise<Record<string, number>> {
  for (let attempt = 0; ; attempt++) {
    const found = await rows<{ state: string; n: string }>(
      admin,
      `SELECT coalesce(state, 'none') AS state, count(*) AS n FROM pg_stat_activity WHERE application_name = $1 GROUP BY 1`,
      [application],
    );
    if (found.every((r) => r.state !== 'active') || attempt >= 200) return Object.fromEntries(found.map((r) => [r.state, Number(r.n)]));
    await sleep(10);
  }
}
