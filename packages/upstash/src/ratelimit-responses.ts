import type { RateLimitScope } from './ratelimit-identifier.js';

/** The body of a refusal, shaped like OrmAI's structured errors so an agent or a client handles both alike. */
export type RateLimitErrorBody = {
  error:
    | { code: 'rate_limited'; message: string; retryable: true; suggestion: string; details: { scope: RateLimitScope; retryAfterMs: number } }
    | { code: 'budget_unavailable'; message: string; retryable: true; suggestion: string; details: Record<string, never> };
};

/** How long a client should wait when the store is down: long enough not to pile retries onto an outage. */
export const UNAVAILABLE_RETRY_AFTER_MS = 5_000;

/** `Retry-After` is whole seconds: rounded up, so a client that obeys it is never early, and at least 1. */
const retryAfterSeconds = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));

function jsonResponse(status: number, body: RateLimitErrorBody, retryAfterMs: number): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'retry-after': retryAfterSeconds(retryAfterMs), 'cache-control': 'no-store' },
  });
}

const WHO: Record<RateLimitScope, string> = { ip: 'from this address', session: 'in this session' };

export function rateLimitedResponse(scope: RateLimitScope, retryAfterMs: number): Response {
  const message = `Too many requests ${WHO[scope]}.`;
  const suggestion = `Wait ${retryAfterSeconds(retryAfterMs)} s before sending another request.`;
  return jsonResponse(429, { error: { code: 'rate_limited', message, retryable: true, suggestion, details: { scope, retryAfterMs } } }, retryAfterMs);
}

export function budgetUnavailableResponse(): Response {
  const message = 'The rate-limit service did not answer, so the request was not handled.';
  const suggestion = 'Retry in a few seconds; if it keeps failing, tell the user the service is unavailable right now.';
  return jsonResponse(503, { error: { code: 'budget_unavailable', message, retryable: true, suggestion, details: {} } }, UNAVAILABLE_RETRY_AFTER_MS);
}
