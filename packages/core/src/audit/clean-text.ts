/**
 * Text a record stores must read back byte for byte from any sink: PostgreSQL text refuses NUL and
 * jsonb refuses `\u0000`, and a cut through a surrogate pair leaves a lone half that comes back as
 * U+FFFD. So control characters go, lone surrogates become U+FFFD, and cuts fall between code points.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(text: string, max = Infinity): string {
  let clean = text.replace(CONTROL, '').replace(LONE_SURROGATE, '\uFFFD');
  if (clean.length > max) {
    const end = /[\uD800-\uDBFF]/.test(clean[max - 1] ?? '') ? max - 1 : max;
    clean = clean.slice(0, end);
  }
  return clean;
}

/** Every string inside a JSON value cleaned (keys too); the value is already bounded by the sanitizer. */
export function cleanJson(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (Array.isArray(value)) return value.map(cleanJson);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), cleanJson(v)]));
  return value;
}
