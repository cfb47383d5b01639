import type { Sequelize } from 'sequelize';

/**
 * One holder at a time per Sequelize instance on SQLite. Sequelize runs every statement of an in-memory
 * database on one shared connection, so two transactions there (or a transaction and a read) interleave:
 * one's COMMIT commits the other's half-done work, a read sees another call's uncommitted rows. On a file
 * database each transaction has its own connection, but SQLite takes one writer at a time and Sequelize
 * sets no busy timeout: taking turns here keeps this process's writers from failing with SQLITE_BUSY.
 *
 * Not reentrant: a path that holds it must never ask for it again (an audit record written inside a
 * write transaction joins that transaction instead of opening one).
 */
const tails = new WeakMap<Sequelize, Promise<unknown>>();

export function withSqliteLock<T>(sequelize: Sequelize, work: () => Promise<T>): Promise<T> {
  const run = () => work();
  const next = (tails.get(sequelize) ?? Promise.resolve()).then(run, run);
  tails.set(sequelize, next.catch(() => undefined));
  return next;
}

/** True when Sequelize runs every statement on one shared connection: SQLite's `:memory:` database (its default storage). */
export function sharesOneConnection(sequelize: Sequelize): boolean {
  if (sequelize.getDialect() !== 'sqlite') return false;
  // Untyped in Sequelize 6's declarations: the options it was made with.
  const { storage, host } = (sequelize as unknown as { options: { storage?: string; host?: string } }).options;
  return (storage || host || ':memory:') === ':memory:';
}

/** Reads on a shared connection take the lock (they would see other transactions' uncommitted rows); elsewhere they run at once. */
export function withSharedConnectionLock<T>(sequelize: Sequelize, work: () => Promise<T>): Promise<T> {
  return sharesOneConnection(sequelize) ? withSqliteLock(sequelize, work) : work();
}
