import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const IN_CI = !!process.env.CI && process.env.CI !== 'false';

/**
 * A connected client to the real Redis at REDIS_URL, or null when it is down on a developer machine
 * (the suites then skip). In CI a missing Redis fails the run instead: `.ci/run` starts it.
 */
export async function connectRedis(): Promise<Redis | null> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => {}); // reported by connect() below
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (error) {
    redis.disconnect();
    if (IN_CI) throw new Error(`Redis is not reachable at ${REDIS_URL}, and CI needs it: ${(error as Error).message}`);
    return null;
  }
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
