/** The session cookie's name: shared by the server (which signs and reads it) and the edge middleware (which counts by it). */
export const SESSION_COOKIE = 'ormai_session';

/** The raw cookie value, unverified: enough to key a rate limit, never to say who the user is. */
export function sessionCookieOf(request: Request): string | null {
  for (const pair of request.headers.get('cookie')?.split(';') ?? []) {
    const [name, ...value] = pair.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=') || null;
  }
  return null;
}
