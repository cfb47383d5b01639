import { ormaiRateLimit, type RateLimitHandler } from '@ormai/upstash/ratelimit';
import { trustedClientIp } from './client-ip';
import { memoryRateLimit } from './memory-rate-limit';
import { sessionCookieOf } from './session-cookie';
import { upstashRedis } from './upstash-redis';

const WINDOW_MS = 60_000;

function perMinute(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${process.env[name]}`);
  return value;
}

/**
 * Requests per minute to the agent and approval endpoints, per client IP (as a proxy in front reports it,
 * see `trustedClientIp`) and per session (the session cookie, unverified here: a forged one only starts a
 * fresh session budget, and the IP budget still holds). On Upstash when it is configured, shared by every
 * instance; else in this instance's memory.
 */
export function chatRateLimit(): RateLimitHandler {
  const perIp = { limit: perMinute('RATE_LIMIT_PER_IP', 60), window: WINDOW_MS };
  const perSession = { limit: perMinute('RATE_LIMIT_PER_SESSION', 20), window: WINDOW_MS };
  const ipOf = trustedClientIp();
  const redis = upstashRedis();
  if (!redis) {
    return memoryRateLimit({ perIp: { limit: perIp.limit, windowMs: WINDOW_MS }, perSession: { limit: perSession.limit, windowMs: WINDOW_MS }, sessionOf: sessionCookieOf, ipOf });
  }
  // Instances sharing Upstash must hash identifiers alike: the secret cannot be a per-instance random one.
  const secret = process.env.ORMAI_SECRET;
  if (!secret) throw new Error('ORMAI_SECRET is required with Upstash: it keys the hashes of IPs and sessions');
  return ormaiRateLimit({ redis, secret, perIp, perSession, sessionOf: sessionCookieOf, ipOf });
}
