import { errorWording, errors, ExecutionLimitError, OrmAIError } from '@ormai/core';

interface DriverError {
  name?: string;
  code?: string;
  message?: string;
  parent?: { code?: string; message?: string };
  errors?: Array<{ path?: string; validatorKey?: string; type?: string }>;
}

// Cancelled by statement_timeout (or an operator's pg_cancel_backend): the caller may retry with a narrower query.
const QUERY_CANCELED = '57014';

/**
 * The connection is gone, or the server cannot take one: class 08 (connection exception; not 08P01, a protocol
 * violation, which a retry repeats), 57P01-57P03 (terminated by an operator, a crash or an immediate shutdown;
 * the server is starting up or shutting down).
 */
const CONNECTION_LOST = /^(080\d\d|57P0[1-3])$/;
/** Socket errors: refused while the server is down, reset or broken when it goes away. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
/** What pg says, without a code, when the socket closes under a query or a query meets a dead client. */
const CLIENT_CLOSED = /^Connection terminated|is not queryable$/;

/** The error (or the driver error Sequelize wrapped) says the connection broke, not that the statement is wrong. */
export function isConnectionLoss(error: unknown): boolean {
  const e = (error ?? {}) as DriverError;
  return [e, e.parent].some((x) => {
    const code = x?.code;
    if (code) return CONNECTION_LOST.test(code) || SOCKET_CODES.has(code);
    return CLIENT_CLOSED.test(x?.message ?? '');
  });
}

/**
 * Concurrent work collided: a serialization failure (40001) or a deadlock (40P01). PostgreSQL rolled the
 * transaction back, so nothing was done and the same call can succeed now.
 */
const TRANSACTION_CONFLICT = new Set(['40001', '40P01']);

/** Sequelize's pool gave up waiting for a connection: every connection is busy, or none could be opened in time. */
const ACQUIRE_TIMEOUT = 'SequelizeConnectionAcquireTimeoutError';

/** What is wrong with a value, by SQLSTATE: the kind of problem only, never the driver's text. */
const VALUE_PROBLEMS: Record<string, string> = {
  '22001': 'too long for its column',
  '22003': 'a number out of range for its column',
  '22007': 'not a valid date or time',
  '22008': 'a date or time out of range',
  '22021': 'contains characters the database cannot store',
  '22P05': 'contains characters the database cannot store',
  '22P02': "not of its column's type",
  '54000': 'too large for its column or index',
};

/**
 * Errors caused by a value rather than by the statement: PostgreSQL classes 22 (data exception) and 23
 * (integrity constraint), 54000 (value too large to index), 42883 (no operator for these types); SQLite
 * constraint failures, type mismatches and oversized values.
 */
const isValueError = (code: string) =>
  /^2[23]/.test(code) || ['54000', '42883', 'SQLITE_CONSTRAINT', 'SQLITE_MISMATCH', 'SQLITE_TOOBIG'].includes(code);

function invalidValues(model: string, fields: string[], problem: string) {
  return errors.invalidInput(errorWording.invalidInput.rejectedByDatabase(model, problem, fields), { model, fields });
}

/**
 * Sorts driver and Sequelize errors into OrmAI's codes at the adapter boundary. Only field names and
 * kinds of problem pass through: never the driver's message, which can quote SQL or values.
 */
export function classifyDatabaseError(error: unknown, model: string, timeoutMs: number): unknown {
  if (OrmAIError.isInstance(error) || ExecutionLimitError.isInstance(error)) return error;
  const e = (error ?? {}) as DriverError;
  const code = e.code ?? e.parent?.code;
  if (code === QUERY_CANCELED) return new ExecutionLimitError('statement_timeout', model, timeoutMs);
  if (isConnectionLoss(e) || e.name === ACQUIRE_TIMEOUT) return errors.databaseUnavailable();
  if (code && TRANSACTION_CONFLICT.has(code)) return errors.transactionConflict();
  if (e.name === 'SequelizeUniqueConstraintError') return invalidValues(model, fieldsOf(e), 'must be unique');
  if (e.name === 'SequelizeValidationError') return invalidValues(model, fieldsOf(e), kindsOf(e));
  if (e.name === 'SequelizeForeignKeyConstraintError') return invalidValues(model, [], 'refers to a row that does not exist');
  if (code && isValueError(code)) return invalidValues(model, [], VALUE_PROBLEMS[code] ?? 'invalid value for its column');
  // Anything else is OrmAI's or the database's fault, not the agent's: internal_error, reported to onError.
  return error;
}

const fieldsOf = (e: DriverError) => [...new Set((e.errors ?? []).map((x) => x.path).filter((p): p is string => Boolean(p)))];
const kindsOf = (e: DriverError) => [...new Set((e.errors ?? []).map((x) => x.validatorKey ?? x.type).filter(Boolean))].join(', ') || 'validation failed';
