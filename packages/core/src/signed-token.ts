import { constantTimeEqual, hmacSha256, utf8ToBytes } from './crypto.js';

/**
 * `payload.mac` tokens: base64url JSON, HMAC-signed over a context string the token never carries
 * (tenant, model, ...), so a token is only valid where it was issued. Used for cursors and preview ids.
 */
function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export function signToken(key: Uint8Array, context: string, payload: unknown): string {
  const body = toBase64Url(utf8ToBytes(JSON.stringify(payload)));
  return `${body}.${toBase64Url(hmacSha256(key, `${context}|${body}`))}`;
}

/** The payload, or undefined when the token is malformed or was not signed for this context. */
export function verifyToken(key: Uint8Array, context: string, token: string): unknown {
  const [body, mac, extra] = token.split('.');
  if (!body || !mac || extra !== undefined) return undefined;
  try {
    if (!constantTimeEqual(fromBase64Url(mac), hmacSha256(key, `${context}|${body}`))) return undefined;
    return JSON.parse(new TextDecoder().decode(fromBase64Url(body)));
  } catch {
    return undefined;
  }
}
