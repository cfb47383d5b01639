import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';

/** Synchronous, edge-safe hashing (no `node:crypto`): used per row by the hash mask, so it must not be async. */
export const sha256Hex = (text: string): string => bytesToHex(sha256(utf8ToBytes(text)));

export const hmacSha256 = (key: Uint8Array, text: string): Uint8Array => hmac(sha256, key, utf8ToBytes(text));

export const hmacHex = (key: Uint8Array, text: string): string => bytesToHex(hmacSha256(key, text));

export const randomKey = (): Uint8Array => randomBytes(32);

export const keyFromSecret = (secret: string, purpose: string): Uint8Array => hmacSha256(utf8ToBytes(secret), `ormai:${purpose}`);

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export { bytesToHex, utf8ToBytes };
