/** `SET [LOCAL] statement_timeout`: the value is a validated integer from the policy; SET cannot take a bind parameter. */
export const statementTimeoutSql = (timeoutMs: number, local: boolean) =>
  `SET ${local ? 'LOCAL ' : ''}statement_timeout = ${Math.max(1, Math.trunc(timeoutMs))}`;
