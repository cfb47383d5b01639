import type { Row } from '@ormai/core';

/** One read unit of work on one connection: a pooled read-only connection on PostgreSQL, the shared connection on SQLite. */
export interface ReadSession {
  all(sql: string, params: unknown[]): Promise<Row[]>;
}

export interface ReadSessionOptions {
  statementTimeoutMs: number;
}
