import { eventStreamSink, type AuditSink, type IdentifierHandling, type EventStreamSinkOptions } from '@ormai/core';
import type { Redis } from 'ioredis';

export interface RedisStreamAuditSinkOptions {
  /** The stream key. */
  stream: string;
  /** Trims the stream to about this many entries (`XADD MAXLEN ~`): Redis keeps a little more, never less. Default: no trimming. */
  maxLen?: number | undefined;
  /** What the tenant, user, session, request, run, approver and subject ids become in the stream (see `eventStreamSink`). */
  identifiers: IdentifierHandling;
  /** The HMAC key, for `identifiers: 'hashed'`. */
  key?: Uint8Array | undefined;
  /** Whether the sanitized input and reason go into the stream: default 'omitted' unless identifiers are 'clear' (see `eventStreamSink`). */
  payload?: EventStreamSinkOptions['payload'];
  name?: string | undefined;
}

/**
 * Audit records to a Redis Stream through ioredis (Node): one pipeline of `XADD` per batch, each
 * entry's field `record` holding the record's JSON. The pipeline is not atomic: after a failed batch
 * is retried, the stream may hold a record twice, so consumers dedupe by `record.id`.
 */
export function redisStreamAuditSink(redis: Redis, options: RedisStreamAuditSinkOptions): AuditSink {
  const trim = options.maxLen === undefined ? [] : ['MAXLEN', '~', options.maxLen];
  const send = async (records: readonly unknown[]) => {
    const pipeline = redis.pipeline();
    for (const record of records) pipeline.xadd(options.stream, ...trim, '*', 'record', JSON.stringify(record));
    const results = await pipeline.exec();
    const failure = results?.find(([error]) => error)?.[0];
    if (failure) throw failure;
  };
  return eventStreamSink(send, { name: options.name ?? 'redis-stream', identifiers: options.identifiers, key: options.key, payload: options.payload });
}
