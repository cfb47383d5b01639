/**
 * The client's address for the per-IP rate limit, read only from a header a proxy in front of the app
 * writes, since a client can send any header it likes. On Vercel its edge network sets `x-real-ip`;
 * behind a proxy of yours, name the header it overwrites in CLIENT_IP_HEADER (with several addresses in
 * it, the last one, which that proxy wrote, counts). A bare `next start` has no such proxy: no header is
 * believed, every request counts against one shared IP budget (a cap for the instance) and the
 * per-session limit is the one per person.
 */
export function trustedClientIp(env: Record<string, string | undefined> = process.env): (request: Request) => string | null {
  const header = env.CLIENT_IP_HEADER || (env.VERCEL ? 'x-real-ip' : undefined);
  return (request) => (header ? request.headers.get(header)?.split(',').at(-1)?.trim() || null : null);
}
