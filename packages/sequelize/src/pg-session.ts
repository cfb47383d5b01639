import type { Sequelize } from 'sequelize';
import type { ReadSession, ReadSessionOptions } from './session.js';

interface PgClient {
  query(text: string | { text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }>;
}

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
    const result = await work({ all: async (text, values) => (await client.query({ text, values })).rows });
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await manager.releaseConnection(client);
  }
}
