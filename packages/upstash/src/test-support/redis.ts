import { createServer } from 'node:net';
import { Redis as UpstashRedis } from '@upstash/redis';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { startRestBridge, type RestBridge } from './rest-bridge.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/**
 * A connected client to the real Redis at REDIS_URL. Like PostgreSQL for the other suites, a missing
 * Redis fails the suite, never skips it (`.ci/run` starts it when it is down).
 */
export async function connectRedis(): Promise<Redis> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => {}); // reported by connect() below
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (error) {
    redis.disconnect();
    throw new Error(`Redis is required at ${REDIS_URL} (set REDIS_URL): ${(error as Error).message}`);
  }
}

/** An Upstash REST client as the stores use it, without telemetry or retries (a dead server fails at once). */
export const upstashClient = (url: string, token: string) => new UpstashRedis({ url, token, enableTelemetry: false, retry: false });

export interface RedisFixture {
  redis: Redis;
  /** The REST bridge in front of `redis`, speaking Upstash's protocol. */
  bridge: RestBridge;
  /** Every key the suite writes starts with it; they are deleted after the suite. */
  prefix: string;
  /** An Upstash client talking to the bridge. */
  upstash(): UpstashRedis;
}

/** Connects to the real Redis, starts the REST bridge, and registers their cleanup after the suite. */
export async function useRedis(label: string): Promise<RedisFixture> {
  const redis = await connectRedis();
  const bridge = await startRestBridge(redis);
  const prefix = uniquePrefix(label);
  afterAll(async () => {
    await bridge.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });
  return { redis, bridge, prefix, upstash: () => upstashClient(bridge.url, bridge.token) };
}

/** A prefix no other test run shares, so runs (and other users of this Redis) never see each other's keys. */
export const uniquePrefix = (label: string) => `ormai-test:${label}:${Date.now()}:${Math.random().toString(36).slice(2)}:`;

/** A local port with nothing listening: connections to it are refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
