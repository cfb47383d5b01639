/** What a rate limit counts by. */
export type RateLimitScope = 'ip' | 'session';

/** A keyed hash of one identifier, as lowercase hex. */
export type HashIdentifier = (scope: RateLimitScope, value: string) => Promise<string>;

const encoder = new TextEncoder();
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
// Copied into a plain ArrayBuffer: Web Crypto's DOM typings refuse a view that might be shared.
const hmacKey = (raw: Uint8Array) => crypto.subtle.importKey('raw', new Uint8Array(raw), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
type HmacKey = Awaited<ReturnType<typeof hmacKey>>;
const sign = async (key: HmacKey, text: string) => new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(text)));

/**
 * HMAC-SHA-256 of each identifier under a key derived from `secret` (Web Crypto, so it runs on the edge):
 * Redis only ever sees the hash, and instances sharing the secret count the same client alike. The key
 * is derived as core's `keyFromSecret(secret, 'rate-limit')` does, so one app secret serves every purpose.
 */
export function identifierHasher(secret: string): HashIdentifier {
  let key: Promise<HmacKey> | undefined;
  const derive = async () => hmacKey(await sign(await hmacKey(encoder.encode(secret)), 'ormai:rate-limit'));
  return async (scope, value) => {
    key ??= derive();
    return hex(await sign(await key, `${scope}\u0000${value}`));
  };
}

/**
 * The client's IP as a proxy reports it: the first hop of `x-forwarded-for`, else `x-real-ip`. Trust it
 * only behind a proxy that overwrites these headers (Vercel does); elsewhere a client can pick its own.
 */
export function clientIpOf(request: Request): string | null {
  const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || request.headers.get('x-real-ip')?.trim() || null;
}
