import { hmacHex } from './crypto.js';
import type { FieldRule, MaskStrategy } from './spec/policy.js';
import type { NestedKeyRule } from './spec/bound-policy.js';
import type { Row } from './spec/adapter.js';
import type { FieldSanitizer } from './spec/domain-tools.js';
import { scrubText } from './scrub-text.js';

/** JSON nested deeper than this is redacted whole: walking arbitrary depth would risk the stack, and skipping it would fail open. */
const MAX_JSON_DEPTH = 32;
const REDACTED = '[REDACTED]';

/**
 * The one function that decides what a row looks like to the agent. Root rows and included rows go
 * through the same projection: only listed fields are copied, everything else the adapter fetched
 * (join keys, sort keys, row numbers) is dropped.
 */
export interface Projection {
  /**
   * `nested`: the rule for keys inside structured values; without it, a structured value is redacted whole.
   * `sanitizer`: a `sanitize` field's own sanitizer, run before the scrub.
   */
  fields: Array<{ name: string; rule: FieldRule; nested?: NestedKeyRule; sanitizer?: FieldSanitizer }>;
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
    case 'sanitize':
      return scrubText(text);
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && [Object.prototype, null].includes(Object.getPrototypeOf(value));

/** A masked value that may be structured: arrays element by element; objects whole, since their keys can be data too. */
function maskDeep(strategy: MaskStrategy, value: unknown, hashKey: Uint8Array, depth: number): unknown {
  if (Array.isArray(value)) return depth >= MAX_JSON_DEPTH ? REDACTED : value.map((v) => maskDeep(strategy, v, hashKey, depth + 1));
  if (isPlainObject(value) && strategy !== 'hash') return REDACTED;
  return maskValue(strategy, value, hashKey);
}

/** JSON text inside a JSON value longer than this is not parsed (cost), so it is redacted whole. */
const MAX_JSON_TEXT = 64 * 1024;
const NAME_KEYS = new Set(['key', 'name', 'k']);
const VALUE_KEYS = new Set(['value', 'v']);

/** `{ Key: 'api_key', Value: … }`, `{ name, value }`: the keys of a pair object whose name is data, or null. */
function pairKeys(value: Record<string, unknown>): { name: string; valueKey: string } | null {
  const keys = Object.keys(value);
  if (keys.length !== 2) return null;
  const nameKey = keys.find((k) => NAME_KEYS.has(k.toLowerCase()));
  const valueKey = keys.find((k) => VALUE_KEYS.has(k.toLowerCase()));
  const name = nameKey === undefined ? undefined : value[nameKey];
  return typeof name === 'string' && valueKey !== undefined ? { name, valueKey } : null;
}

/** A value under a name judged by `rule`; a denied one is replaced rather than dropped, where the shape must stay. */
function redactUnder(rule: FieldRule, value: unknown, keyRule: NestedKeyRule, hashKey: Uint8Array, depth: number): unknown {
  if (rule === 'deny') return REDACTED;
  return rule === 'allow' ? redactJson(value, keyRule, hashKey, depth) : maskDeep(rule, value, hashKey, depth);
}

/**
 * A string that is itself JSON (an object or array stored as text) carries keys too: it is parsed, walked
 * and re-serialized, or shown as stored when nothing in it is hidden or it does not parse.
 */
function redactJsonText(text: string, keyRule: NestedKeyRule, hashKey: Uint8Array, depth: number): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return text;
  if (trimmed.length > MAX_JSON_TEXT || depth > MAX_JSON_DEPTH) return REDACTED;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return text;
  }
  const redacted = redactJson(parsed, keyRule, hashKey, depth + 1);
  if (redacted === REDACTED) return REDACTED;
  const out = JSON.stringify(redacted);
  return out === JSON.stringify(parsed) ? text : out;
}

/**
 * Applies the deny/mask globs to every key of a JSON value, at any depth, and to the names of name/value
 * pairs (`{ Key, Value }`, `[name, value]`), which are keys stored as data. Numbers are values, never keys;
 * strings too, unless they hold JSON. Any other object (a driver's class instance) is redacted whole: its
 * keys cannot be vouched for.
 */
function redactJson(value: unknown, keyRule: NestedKeyRule, hashKey: Uint8Array, depth: number): unknown {
  if (typeof value === 'string') return redactJsonText(value, keyRule, hashKey, depth);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_JSON_DEPTH) return REDACTED;
  if (Array.isArray(value)) {
    const [name, inner] = value;
    if (value.length === 2 && typeof name === 'string') return [name, redactUnder(keyRule(name), inner, keyRule, hashKey, depth + 1)];
    return value.map((v) => redactJson(v, keyRule, hashKey, depth + 1));
  }
  if (!isPlainObject(value)) return REDACTED;
  const pair = pairKeys(value);
  const kept: Array<[string, unknown]> = [];
  for (const [key, inner] of Object.entries(value)) {
    const rule = keyRule(key);
    if (rule === 'allow' && key === pair?.valueKey) kept.push([key, redactUnder(keyRule(pair.name), inner, keyRule, hashKey, depth + 1)]);
    else if (rule === 'allow') kept.push([key, redactJson(inner, keyRule, hashKey, depth + 1)]);
    else if (rule !== 'deny') kept.push([key, maskDeep(rule, inner, hashKey, depth + 1)]);
  }
  return Object.fromEntries(kept); // not `out[key] =`: a `__proto__` key must stay a plain key
}

/** A field's own sanitizer must give text back: anything else (a promise, an object) is a bug to report, not a value to show. */
function sanitized(sanitizer: FieldSanitizer, text: string): string {
  const out: unknown = sanitizer(text);
  if (typeof out !== 'string') throw new TypeError(`a field sanitizer returned ${out === null ? 'null' : typeof out}, not a string`);
  return out;
}

export function projectRow(row: Row, projection: Projection, hashKey: Uint8Array): Row {
  const out: Row = {};
  for (const { name, rule, nested, sanitizer } of projection.fields) {
    if (rule === 'deny') continue;
    const value = row[name] ?? null;
    if (rule !== 'allow') out[name] = maskDeep(rule, sanitizer && typeof value === 'string' ? sanitized(sanitizer, value) : value, hashKey, 0);
    else if (typeof value !== 'object' || value === null) out[name] = value;
    // Whatever type the field was declared with: an object or array is walked, or hidden when it cannot be.
    else out[name] = nested ? redactJson(value, nested, hashKey, 0) : REDACTED;
  }
  for (const { relation, many, projection: inner } of projection.includes) {
    const related = row[relation];
    if (many) out[relation] = Array.isArray(related) ? related.map((r) => projectRow(r as Row, inner, hashKey)) : [];
    else out[relation] = related && typeof related === 'object' ? projectRow(related as Row, inner, hashKey) : null;
  }
  return out;
}
