import { Redis } from '@upstash/redis';

/** Upstash over REST when both variables are set (edge-safe); null means "keep counting in memory". */
export function upstashRedis(): Redis | null {
  const url = process.env.UPSTASH_REDIS_REST_URL;
  const token = process.env.UPSTASH_REDIS_REST_TOKEN;
  return url && token ? new Redis({ url, token }) : null;
}
