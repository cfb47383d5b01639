import { errors, type Row } from '@ormai/core';
import { isConnectionLoss } from './classify-error.js';
import type { PgReadPool } from './pg-read-pool.js';
import type { ReadSession, ReadSessionOptions } from './session.js';

// int8, numeric, timestamp, timestamptz: kept as the server's text so no precision is lost before decoding
// (a cursor holding a rounded timestamp or decimal would never move past its row).
const EXACT_TEXT = new Set([20, 1700, 1114, 1184]);

type Client = Parameters<Parameters<PgReadPool['use']>[1]>[0];
type Types = { getTypeParser(oid: number, format?: string): (value: string) => unknown };

const typesByClient = new WeakMap<Client, Types>();
const asText = (value: string) => value;

function typesFor(client: Client): Types {
  let types = typesByClient.get(client);
  if (!types) {
    types = { getTypeParser: (oid, format) => (EXACT_TEXT.has(oid) ? asText : client.getTypeParser(oid, format)) };
    typesByClient.set(client, types);
  }
  return types;
}

/** A text of several statements (only ever sent without values: the scan guard's plan probe) answers with all their rows. */
type DriverResult = { rows: Row[] } | Array<{ rows: Row[] }>;
const rowsOf = (result: DriverResult): Row[] => (Array.isArray(result) ? result.flatMap((r) => r.rows ?? []) : result.rows);

/**
 * Reads on OrmAI's read-only PostgreSQL pool: one round trip per statement, values as bound parameters.
 * A connection that cannot be had or set up (the server down, restarting, the socket gone) is the
 * retryable `database_unavailable`, like a statement whose connection broke.
 */
export function withPgReadSession<T>(
  pool: PgReadPool,
  options: ReadSessionOptions & { tenantId?: string | null },
  work: (session: ReadSession) => Promise<T>,
): Promise<T> {
  return pool.use(
    options.statementTimeoutMs,
    (client, { genericPlans, useGenericPlans }) => {
      const types = typesFor(client);
      const all = async (text: string, values: unknown[]) => rowsOf((await client.query({ text, values, types })) as DriverResult);
      return work(genericPlans ? { all, useGenericPlans } : { all });
    },
    options.tenantId ?? null,
  ).catch((error: unknown) => {
    throw isConnectionLoss(error) ? errors.databaseUnavailable() : error;
  });
}
