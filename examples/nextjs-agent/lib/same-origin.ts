import { errorResponse } from './structured-error';

const hostOf = (origin: string) => {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
};

/**
 * A 403 for a request another page made the browser send. `SameSite=Lax` keeps the session cookie off
 * cross-site POSTs, but not off those from another origin of the same site (a sibling subdomain, another
 * port), and an HTML form can post JSON as `text/plain` without a CORS preflight. Browsers say where a
 * request comes from (`Sec-Fetch-Site`, `Origin`): the app's own pages send JSON from its own origin.
 */
export function crossOriginRefusal(request: Request): Response | null {
  const site = request.headers.get('sec-fetch-site');
  const origin = request.headers.get('origin');
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  const json = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() === 'application/json';
  const sameOrigin = (site === null || site === 'same-origin') && (origin === null || hostOf(origin) === host);
  if (json && sameOrigin) return null;
  return errorResponse(403, {
    code: 'cross_origin_request',
    message: 'This endpoint only answers the app\u2019s own pages.',
    retryable: false,
    suggestion: 'Use the app itself: open its page and try again there.',
  });
}
