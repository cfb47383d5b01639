import { Ratelimit, type Duration } from '@upstash/ratelimit';
import type { Redis } from '@upstash/redis';
import { clientIpOf, identifierHasher, type RateLimitScope } from './ratelimit-identifier.js';
import { ipBudgetOf } from './ratelimit-ip.js';
import { budgetUnavailableResponse, rateLimitedResponse } from './ratelimit-responses.js';

// Entry `@ormai/upstash/ratelimit`, apart from the main entry: it loads `@upstash/ratelimit` (an optional
// peer, ~11 kB gzipped), which apps using only the budget stores neither install nor bundle.
export { clientIpOf, type RateLimitScope } from './ratelimit-identifier.js';
export { ipBudgetOf } from './ratelimit-ip.js';
export type { RateLimitErrorBody } from './ratelimit-responses.js';

/**
 * `limit` requests per sliding `window` (a duration such as '1 m', or milliseconds), as `@upstash/ratelimit`
 * approximates it: the current fixed window plus the previous one weighted by how much of it still overlaps.
 * `Retry-After` is the end of the current fixed window, when that weight starts to fall.
 */
export interface RateLimitRule {
  limit: number;
  window: Duration | number;
}

export interface OrmaiRateLimitOptions {
  redis: Redis;
  /** Keys the hash of each IP and session id: Redis never sees them in clear. Share it across instances. */
  secret: string;
  /** Counts each IPv4 address, and each IPv6 /64 (see `ipBudgetOf`). */
  perIp?: RateLimitRule | undefined;
  /** Needs `sessionOf` and `perIp`: a request without a session is limited per IP only. */
  perSession?: RateLimitRule | undefined;
  sessionOf?: ((request: Request) => string | null) | undefined;
  /** Default: `clientIpOf` (x-forwarded-for, then x-real-ip). Requests without an IP share one budget. Its answer is normalised by `ipBudgetOf`. */
  ipOf?: ((request: Request) => string | null) | undefined;
  /** Prepended to every key. Default 'ormai:ratelimit'. */
  prefix?: string | undefined;
  /** Redis slower than this, or failing, answers 503: the request never passes unchecked. Default 1000 ms. */
  timeoutMs?: number | undefined;
  /** Receives the store's failures (the client only sees `budget_unavailable`). Wire it to your logger. */
  onError?: ((error: unknown) => void) | undefined;
}

/** `null` when the request may go on; otherwise the 429 or 503 to answer with. */
export type RateLimitHandler = (request: Request) => Promise<Response | null>;

class RateLimitTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`the rate-limit store did not answer within ${timeoutMs} ms`);
    this.name = 'RateLimitTimeout';
  }
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RateLimitTimeout(timeoutMs)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const UNKNOWN_IP = 'unknown';

function limiterFor(redis: Redis, prefix: string, rule: RateLimitRule): Ratelimit {
  if (!Number.isSafeInteger(rule.limit) || rule.limit < 1) throw new TypeError(`a rate limit must be a positive integer, got ${rule.limit}`);
  const window: Duration = typeof rule.window === 'number' ? `${rule.window} ms` : rule.window;
  // timeout 0: the library's own timeout lets the request through (fails open); ours answers 503 instead.
  // No analytics and no protection: both send more data to Redis, and protection downloads a deny list.
  return new Ratelimit({ redis, prefix, limiter: Ratelimit.slidingWindow(rule.limit, window), timeout: 0, analytics: false, enableProtection: false });
}

interface Check {
  scope: RateLimitScope;
  limiter: Ratelimit;
  identifier: string;
}

/**
 * Rate limiting in front of the agent endpoint, for Next.js middleware and route handlers (edge-safe):
 * per IP (per /64 for IPv6) and, optionally, per session, sliding windows on `@upstash/ratelimit`. Returns `null` to let the request go
 * on, a 429 (`rate_limited`, `Retry-After`) when a limit is reached, and a 503 (`budget_unavailable`)
 * when Redis fails or is slower than `timeoutMs`: it fails closed, unlike the library's default.
 *
 * Both limits are checked in parallel. The library has no atomic multi-key check, so when one refuses,
 * the other's take is given back (a `rate: -1` refund): a request refused per session does not spend its
 * IP's budget. The refund lands in the current window; across a window edge it may give one extra request.
 * A client once refused is refused from memory until its window resets (the library's ephemeral cache,
 * per instance), so a flood costs Redis nothing more.
 */
export function ormaiRateLimit(options: OrmaiRateLimitOptions): RateLimitHandler {
  const { redis, secret, perIp, perSession, sessionOf, ipOf = clientIpOf, prefix = 'ormai:ratelimit', timeoutMs = 1_000, onError } = options;
  if (!secret) throw new TypeError('ormaiRateLimit needs a secret to hash IPs and session ids');
  if (!perIp && perSession) throw new TypeError('perSession needs perIp too: a request without a session would otherwise pass unlimited');
  if (!perIp) throw new TypeError('ormaiRateLimit needs perIp (and optionally perSession)');
  if (perSession && !sessionOf) throw new TypeError('perSession needs sessionOf, to read the session id from a request');
  const hash = identifierHasher(secret);
  const ipLimiter = limiterFor(redis, prefix, perIp);
  const sessionLimiter = perSession && limiterFor(redis, prefix, perSession);

  const checksOf = async (request: Request): Promise<Check[]> => {
    const ip = ipOf(request);
    const checks: Check[] = [{ scope: 'ip', limiter: ipLimiter, identifier: `ip:${await hash('ip', ip ? ipBudgetOf(ip) : UNKNOWN_IP)}` }];
    const session = sessionLimiter && sessionOf!(request);
    if (sessionLimiter && session) checks.push({ scope: 'session', limiter: sessionLimiter, identifier: `session:${await hash('session', session)}` });
    return checks;
  };

  return async (request) => {
    const checks = await checksOf(request);
    let results: Array<Awaited<ReturnType<Ratelimit['limit']>>>;
    try {
      results = await withTimeout(Promise.all(checks.map((c) => c.limiter.limit(c.identifier))), timeoutMs);
    } catch (error) {
      onError?.(error);
      return budgetUnavailableResponse();
    }
    if (results.every((r) => r.success)) return null;
    const now = Date.now();
    const refusals = checks.flatMap((check, i) => (results[i]!.success ? [] : [{ scope: check.scope, retryAfterMs: Math.max(0, results[i]!.reset - now) }]));
    const granted = checks.filter((_, i) => results[i]!.success);
    // A failed refund leaves one request counted: stricter, never looser, so it is only reported.
    await withTimeout(Promise.all(granted.map((c) => c.limiter.limit(c.identifier, { rate: -1 }))), timeoutMs).catch((error: unknown) => onError?.(error));
    // Both refused: the client must wait for the later of the two.
    const longest = refusals.reduce((a, b) => (b.retryAfterMs > a.retryAfterMs ? b : a));
    return rateLimitedResponse(longest.scope, longest.retryAfterMs);
  };
}
