import { errors, ExecutionLimitError, OrmAIError } from '@ormai/core';

interface DriverError {
  name?: string;
  code?: string;
  parent?: { code?: string };
  errors?: Array<{ path?: string; validatorKey?: string; type?: string }>;
}

const QUERY_CANCELED = '57014';

function invalidValues(model: string, fields: string[], problem: string) {
  return errors.invalidInput(
    `A value for '${model}' was rejected by the database (${problem}).`,
    fields.length ? `Check the values of: ${fields.join(', ')}.` : 'Check the values and their types.',
    { model, fields },
  );
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
  if (e.name === 'SequelizeUniqueConstraintError') return invalidValues(model, fieldsOf(e), 'must be unique');
  if (e.name === 'SequelizeValidationError') return invalidValues(model, fieldsOf(e), kindsOf(e));
  if (e.name === 'SequelizeForeignKeyConstraintError') return invalidValues(model, [], 'refers to a row that does not exist');
  // PostgreSQL classes 22 (data exception) and 23 (integrity constraint), 42883 (no such operator for
  // these types), SQLite constraint failures.
  if (code && (/^2[23]/.test(code) || code === 'SQLITE_CONSTRAINT' || code === '42883')) return invalidValues(model, [], 'invalid value for its column');
  return error;
}

const fieldsOf = (e: DriverError) => [...new Set((e.errors ?? []).map((x) => x.path).filter((p): p is string => Boolean(p)))];
const kindsOf = (e: DriverError) => [...new Set((e.errors ?? []).map((x) => x.validatorKey ?? x.type).filter(Boolean))].join(', ') || 'validation failed';
