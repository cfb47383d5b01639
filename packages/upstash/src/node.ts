// Node entry: the budget store and the Redis Streams audit sink for a plain Redis through ioredis (a peer dependency).
export { ioredisBudgetStore } from './ioredis-budget-store.js';
export type { ScriptBudgetStoreOptions } from './script-budget-store.js';
export { redisStreamAuditSink } from './node/redis-stream-sink.js';
export type { RedisStreamAuditSinkOptions } from './node/redis-stream-sink.js';
