import { hmacHex } from './crypto.js';
import type { FieldRule, MaskStrategy } from './policy/policy-schema.js';
import type { Row } from './adapter.js';

/**
 * The one function that decides what a row looks like to the agent. Root rows and included rows go
 * through the same projection: only listed fields are copied, everything else the adapter fetched
 * (join keys, sort keys, row numbers) is dropped.
 */
export interface Projection {
  fields: Array<{ name: string; rule: FieldRule }>;
  includes: Array<{ relation: string; many: boolean; projection: Projection }>;
}

export function maskValue(strategy: MaskStrategy, value: unknown, hashKey: Uint8Array): unknown {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  switch (strategy) {
    case 'email': {
      const at = text.lastIndexOf('@');
      return at > 0 ? `${text[0]}***${text.slice(at)}` : '***';
    }
    case 'last4':
      return text.length > 4 ? `***${text.slice(-4)}` : '****';
    case 'full':
      return '[REDACTED]';
    case 'hash':
      // Keyed, so equal values stay joinable across rows without being guessable from a dictionary.
      return `hmac:${hmacHex(hashKey, text).slice(0, 32)}`;
  }
}

export function projectRow(row: Row, projection: Projection, hashKey: Uint8Array): Row {
  const out: Row = {};
  for (const { name, rule } of projection.fields) {
    if (rule === 'deny') continue;
    const value = row[name] ?? null;
    out[name] = rule === 'allow' ? value : maskValue(rule, value, hashKey);
  }
  for (const { relation, many, projection: inner } of projection.includes) {
    const related = row[relation];
    if (many) out[relation] = Array.isArray(related) ? related.map((r) => projectRow(r as Row, inner, hashKey)) : [];
    else out[relation] = related && typeof related === 'object' ? projectRow(related as Row, inner, hashKey) : null;
  }
  return out;
}
