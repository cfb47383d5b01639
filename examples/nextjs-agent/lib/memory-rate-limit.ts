import { MemoryBudgetStore } from '@ormai/core';
import { ipBudgetOf, type RateLimitErrorBody, type RateLimitHandler, type RateLimitScope } from '@ormai/upstash/ratelimit';

export interface MemoryRateLimitOptions {
  perIp: { limit: number; windowMs: number };
  perSession: { limit: number; windowMs: number };
  sessionOf: (request: Request) => string | null;
  ipOf: (request: Request) => string | null;
}

const WHO: Record<RateLimitScope, string> = { ip: 'from this address', session: 'in this session' };

/** A 429 with the body `ormaiRateLimit` answers with, so the UI handles both stores alike. */
function rateLimited(scope: RateLimitScope, retryAfterMs: number): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const body: RateLimitErrorBody = {
    error: { code: 'rate_limited', message: `Too many requests ${WHO[scope]}.`, retryable: true, suggestion: `Wait ${seconds} s before sending another request.`, details: { scope, retryAfterMs } },
  };
  return Response.json(body, { status: 429, headers: { 'retry-after': String(seconds), 'cache-control': 'no-store' } });
}

/**
 * The same limits as `ormaiRateLimit`, counted in this process (an edge isolate) with OrmAI's sliding-window
 * store: exact on one instance, per instance when there are several. Both limits are taken atomically.
 */
export function memoryRateLimit({ perIp, perSession, sessionOf, ipOf }: MemoryRateLimitOptions): RateLimitHandler {
  const store = new MemoryBudgetStore();
  return async (request) => {
    const ip = ipOf(request);
    const session = sessionOf(request);
    const checks = [
      { scope: 'ip' as const, key: `ip:${ip ? ipBudgetOf(ip) : 'unknown'}`, ...perIp },
      ...(session ? [{ scope: 'session' as const, key: `session:${session}`, ...perSession }] : []),
    ];
    const decision = await store.take(checks.map(({ key, limit, windowMs }) => ({ key, limit, windowMs })));
    return decision.allowed ? null : rateLimited(checks[decision.refusedBy ?? 0]!.scope, decision.retryAfterMs);
  };
}
