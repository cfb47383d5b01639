import { createHmac, timingSafeEqual } from 'node:crypto';
import { derivedKey } from './app-secret';

/** What the signed cookie carries: the session id, the demo user, and when it expires (epoch seconds). */
export interface SessionClaims {
  sid: string;
  uid: string;
  exp: number;
}

export const SESSION_TTL_SECONDS = 8 * 60 * 60;

const signatureOf = (body: string) => createHmac('sha256', derivedKey('session')).update(body).digest();

/** `<base64url JSON>.<base64url HMAC>`: readable, but any change to it breaks the signature. */
export function sealSession(claims: SessionClaims): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${signatureOf(body).toString('base64url')}`;
}

/**
 * The claims of a cookie this server signed and that has not expired; null for anything else. The
 * signature is compared as the text the server wrote, not as decoded bytes: a base64url decoder skips
 * stray characters and the last character's spare bits, so a re-encoded copy of a genuine cookie would
 * still verify, and each copy would count as a new session for the edge rate limit.
 */
export function openSession(value: string | undefined, now = Date.now()): SessionClaims | null {
  const [body, signature, extra] = value?.split('.') ?? [];
  if (!body || !signature || extra !== undefined) return null;
  const expected = Buffer.from(signatureOf(body).toString('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<SessionClaims>;
    const valid = typeof claims.sid === 'string' && typeof claims.uid === 'string' && typeof claims.exp === 'number';
    return valid && claims.exp! * 1000 > now ? (claims as SessionClaims) : null;
  } catch {
    return null;
  }
}
