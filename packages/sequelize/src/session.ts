import type { Row } from '@ormai/core';

/** One read unit of work on one connection: a pooled read-only connection on PostgreSQL, the shared connection on SQLite. */
export interface ReadSession {
  all(sql: string, params: unknown[]): Promise<Row[]>;
  /**
   * PostgreSQL read pool, where the server can: the statements that follow run the database's generic plan of
   * their text, one plan whatever the values (true), or a plan for their own values (false). The scan guard sets it.
   */
  useGenericPlans?(on: boolean): Promise<void>;
}

export interface ReadSessionOptions {
  statementTimeoutMs: number;
}
