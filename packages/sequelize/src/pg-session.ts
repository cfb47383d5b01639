import type { Sequelize } from 'sequelize';
import type { ReadSession, ReadSessionOptions } from './session.js';

type TypeParser = (value: string) => unknown;

interface PgClient {
  query(text: string | { text: string; values: unknown[]; types: { getTypeParser(oid: number, format?: string): TypeParser } }): Promise<{
    rows: Record<string, unknown>[];
  }>;
  getTypeParser(oid: number, format?: string): TypeParser;
}

// int8, numeric, timestamp, timestamptz: kept as the server's text so no precision is lost before decoding
// (a cursor holding a rounded timestamp or decimal would never move past its row).
const EXACT_TEXT = new Set([20, 1700, 1114, 1184]);

/**
 * Runs reads in `BEGIN READ ONLY` with a transaction-local statement_timeout, set in the same round trip
 * as BEGIN. It talks to a pooled pg client directly (through Sequelize's connection manager) so the
 * setup costs one round trip instead of three, and values travel as bound parameters.
 */
export async function withPgReadSession<T>(
  sequelize: Sequelize,
  options: ReadSessionOptions,
  work: (session: ReadSession) => Promise<T>,
): Promise<T> {
  const manager = sequelize.connectionManager as unknown as {
    getConnection(o: { type: 'read' }): Promise<PgClient>;
    releaseConnection(c: PgClient): Promise<void> | void;
  };
  // The timeout is a validated integer from the policy, never model input; SET cannot take a bind parameter.
  const timeoutMs = Math.max(1, Math.trunc(options.statementTimeoutMs));
  const client = await manager.getConnection({ type: 'read' });
  try {
    await client.query(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${timeoutMs}`);
    const types = { getTypeParser: (oid: number, format?: string) => (EXACT_TEXT.has(oid) ? (v: string) => v : client.getTypeParser(oid, format)) };
    const result = await work({ all: async (text, values) => (await client.query({ text, values, types })).rows });
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await manager.releaseConnection(client);
  }
}
