/** Why an audit command cannot run (exit 2): nothing was checked, so nothing passed or failed. */
export type AuditCommandErrorCode = 'no_audit_location' | 'unsupported_dialect' | 'invalid_identifier' | 'cannot_verify' | 'unknown_query' | 'invalid_option';

export class AuditCommandError extends Error {
  override readonly name = 'AuditCommandError';
  constructor(
    readonly code: AuditCommandErrorCode,
    message: string,
  ) {
    super(message);
  }
}
