// `@ormai/core/node`: audit sinks that need Node (the file system). Everything else in core is edge-safe.
export { jsonlAuditSink, JsonlAuditSink, JsonlAuditSinkError, JsonlAuditSinkLockedError } from './jsonl-sink.js';
export type { JsonlAuditSinkOptions } from './jsonl-sink.js';
export { verifyJsonlAuditLog } from './jsonl-log.js';
export type { VerifyJsonlAuditLogOptions } from './jsonl-log.js';
