/** A row-level security setup OrmAI cannot use as given (bad role or setting name, an unsupported dialect). */
export class RlsConfigError extends Error {
  override readonly name = 'RlsConfigError';
}

/** How calls run under PostgreSQL row-level security (see `rlsPolicySql` for the policies themselves). */
export interface RlsOptions {
  /** The non-owner role every statement of a call runs as; the connecting user must be a member of it. */
  role: string;
  /** The session setting the policies compare the tenant column with. Default `ormai.tenant_id`. */
  setting?: string;
}

export interface ResolvedRls {
  role: string;
  setting: string;
}

export const DEFAULT_TENANT_SETTING = 'ormai.tenant_id';

// Plain identifiers only: safe inside SQL text and string literals alike. A custom setting needs a dotted name.
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;

export function checkIdentifier(kind: string, value: string): string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) throw new RlsConfigError(`${kind} must match ${IDENTIFIER}, not ${JSON.stringify(value)}`);
  return value;
}

export function resolveRls({ role, setting = DEFAULT_TENANT_SETTING }: RlsOptions): ResolvedRls {
  checkIdentifier('rls.role', role);
  if (typeof setting !== 'string' || !SETTING_NAME.test(setting)) throw new RlsConfigError(`rls.setting must be a dotted name such as ${DEFAULT_TENANT_SETTING}, not ${JSON.stringify(setting)}`);
  return { role, setting };
}

/** A double-quoted SQL identifier. */
export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
