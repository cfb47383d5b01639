import { scrubText } from '../scrub-text.js';

/** How far an audit record's input is kept: past these bounds the walk stops and leaves a marker. */
export const AUDIT_INPUT_LIMITS = {
  maxDepth: 12,
  maxItems: 50,
  maxKeys: 50,
  /** Characters kept of any string (after scrubbing). */
  maxText: 200,
  maxReason: 500,
  /** Values visited in one input, all levels together: shared references cannot multiply the work. */
  maxValues: 2_000,
  /** Characters scrubbed of one string: the rest would be cut anyway, and the scrub's cost grows with the text. */
  maxScrubbed: 4_096,
  /** JSON text (a string holding an object or array) parsed to apply the key globs; longer is redacted whole. */
  maxJsonText: 16 * 1024,
};

export const MARK = {
  redacted: '[redacted]',
  truncated: '[truncated]',
  cycle: '[cycle]',
  unreadable: '[unreadable]',
  unsupported: '[unsupported]',
  cursor: '[cursor]',
  invalid: '[invalid]',
  unknownModel: '[unknown model]',
  unknownField: '[unknown field]',
  unknownRelation: '[unknown relation]',
} as const;

/**
 * Markers for an object's unknown keys, numbered from 1 so the keys stay distinct: the agent's text is
 * never kept as a key, since a key can carry any value.
 */
export function unknownKeys(): () => string {
  let count = 0;
  return () => `[unknown key ${++count}]`;
}

/** At most `max` characters, never ending inside a surrogate pair, with the original length when cut. */
export function capText(text: string, max: number, originalLength = text.length): string {
  if (text.length <= max && originalLength === text.length) return text;
  const end = text.length > max && /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}…[${originalLength} chars]`;
}

/** How far back a long string's cut looks for the start of the token it fell in. */
const TOKEN_LOOKBACK = 256;

/**
 * Scrubbed of secrets and PII, then capped. Only the head of a long string is scrubbed, without the
 * token the cut fell in: half a key is not recognised as one, and could otherwise end up in the record.
 */
export function keptText(text: string, max: number = AUDIT_INPUT_LIMITS.maxText): string {
  if (text.length <= AUDIT_INPUT_LIMITS.maxScrubbed) {
    const scrubbed = scrubText(text);
    return scrubbed.length <= max ? scrubbed : capText(scrubbed, max, text.length);
  }
  const head = text.slice(0, AUDIT_INPUT_LIMITS.maxScrubbed);
  // Key and token characters (base64 included); a run longer than the look-back is cut where it is.
  const tokenStart = head.slice(-TOKEN_LOOKBACK).search(/[A-Za-z0-9_+/=-]*$/);
  const end = tokenStart > 0 ? head.length - TOKEN_LOOKBACK + tokenStart : head.length;
  return capText(scrubText(head.slice(0, end)), max, text.length);
}

export type PlainScalar = string | number | boolean | null;

/**
 * A primitive (or a Date) as plain JSON, before any rule is applied: NaN and Infinity as text, a
 * BigInt as its digits, a symbol or function as a marker. Undefined for anything else: objects and arrays
 * are walked (see walkContainer), which judges or marks them.
 */
export function plainScalar(value: unknown): PlainScalar | undefined {
  try {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value;
      case 'number':
        return Number.isFinite(value) ? value : String(value);
      case 'bigint':
        return value.toString();
      case 'undefined':
        return null;
      case 'symbol':
      case 'function':
        return MARK.unsupported;
      default:
        if (value === null) return null;
        if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
        return undefined;
    }
  } catch {
    return undefined; // a Proxy's trap or an overridden Date method threw: the container walk marks it
  }
}
