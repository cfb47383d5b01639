import { hmacHex } from '../crypto.js';

/**
 * A budget key from its parts, as a JSON array: the encoding is injective, so tenant 'a:b' with user
 * 'c' and tenant 'a' with user 'b:c' never share a budget, and a null tenant is not the tenant 'null'.
 */
export function budgetKey(...parts: ReadonlyArray<string | number | null>): string {
  return JSON.stringify(parts);
}

/**
 * What a store receives for an encoded key: 128 bits of its HMAC-SHA-256 (hex) under the instance's
 * budget-key key. No identifier in clear; equal for every instance sharing the secret.
 */
export const hashBudgetKey = (key: Uint8Array, encoded: string): string => hmacHex(key, encoded).slice(0, 32);
