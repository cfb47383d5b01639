import type { PgReadPool } from './pg-read-pool.js';
import type { ReadSession, ReadSessionOptions } from './session.js';

// int8, numeric, timestamp, timestamptz: kept as the server's text so no precision is lost before decoding
// (a cursor holding a rounded timestamp or decimal would never move past its row).
const EXACT_TEXT = new Set([20, 1700, 1114, 1184]);

/** Reads on OrmAI's read-only PostgreSQL pool: one round trip per statement, values as bound parameters. */
export function withPgReadSession<T>(pool: PgReadPool, options: ReadSessionOptions, work: (session: ReadSession) => Promise<T>): Promise<T> {
  return pool.use(options.statementTimeoutMs, (client) => {
    const types = { getTypeParser: (oid: number, format?: string) => (EXACT_TEXT.has(oid) ? (v: string) => v : client.getTypeParser(oid, format)) };
    return work({ all: async (text, values) => (await client.query({ text, values, types })).rows });
  });
}
