import type { Row } from '@ormai/core';

/** One read unit of work on one connection: a pooled read-only connection on PostgreSQL, the shared connection on SQLite. */
export interface ReadSession {
  all(sql: string, params: unknown[]): Promise<Row[]>;
  /** Every statement runs the database's generic plan (PostgreSQL read pool): one plan per statement text, whatever the values. */
  genericPlans?: boolean;
}

export interface ReadSessionOptions {
  statementTimeoutMs: number;
}
