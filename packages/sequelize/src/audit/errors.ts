/** Why the SQL audit store refused or failed an operation. */
export type AuditStoreErrorCode =
  | 'unsupported_dialect'
  | 'invalid_identifier'
  | 'sink_closed'
  | 'seal_failing'
  | 'chain_broken'
  | 'concurrent_archive'
  | 'bad_archive';

export class AuditStoreError extends Error {
  override readonly name = 'AuditStoreError';
  constructor(
    readonly code: AuditStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
