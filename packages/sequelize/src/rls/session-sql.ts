import { quoteIdent, type ResolvedRls } from './options.js';

// The statements that make a connection or a transaction run as the RLS role with the call's tenant.

/** Appended to a read-pool connection's set-up (no parameters there): the role, once per connection. */
export const setRoleSql = ({ role }: ResolvedRls) => `SET ROLE ${quoteIdent(role)}`;

/** A call without a tenant matches no tenant row: the policies compare with '' (never a tenant id OrmAI accepts). */
export const tenantValue = (tenantId: string | null | undefined) => tenantId ?? '';

const timeoutValue = (timeoutMs: number) => String(Math.max(1, Math.trunc(timeoutMs)));

/** Read pool, per call when the connection's timeout or tenant changes: both for the session, one round trip. */
export function readSessionSettings(rls: ResolvedRls, timeoutMs: number, tenantId: string | null | undefined) {
  return {
    text: `SELECT set_config('statement_timeout', $1, false), set_config($2, $3, false)`,
    values: [timeoutValue(timeoutMs), rls.setting, tenantValue(tenantId)],
  };
}

/**
 * A write's first statement, in its transaction: timeout, role and tenant, all transaction-local, in one
 * round trip; answers the role it replaced (`previous`), so OrmAI's own statements after the change run as before.
 */
export function enterWriteSql(rls: ResolvedRls, timeoutMs: number, tenantId: string | null | undefined) {
  return {
    sql: `SELECT current_setting('role') AS "previous", set_config('statement_timeout', $1, true), set_config('role', $2, true), set_config($3, $4, true)`,
    bind: [timeoutValue(timeoutMs), rls.role, rls.setting, tenantValue(tenantId)],
  };
}

/** Back to the role the transaction had, for the audit record and approval update that commit with the write. */
export const leaveWriteSql = (previous: string) => ({ sql: `SELECT set_config('role', $1, true)`, bind: [previous] });
