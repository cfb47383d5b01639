/** One `"key"=>"value"` or `"key"=>NULL` pair of PostgreSQL's hstore text output, with its separator. */
const PAIR = /\s*"((?:[^"\\]|\\[\s\S])*)"\s*=>\s*(?:"((?:[^"\\]|\\[\s\S])*)"|(NULL))\s*(?:,|$)/y;

const unescape = (quoted: string) => quoted.replace(/\\([\s\S])/g, '$1');

/**
 * An hstore value as an object, when `text` is one in full (at least one pair); otherwise null. The driver
 * leaves hstore as text when Sequelize registered no parser for it (e.g. the extension came after its first
 * connection): parsed here so its keys meet the deny and mask globs like JSON keys.
 */
export function hstoreObject(text: string): Record<string, string | null> | null {
  const pairs: Array<[string, string | null]> = [];
  const pair = new RegExp(PAIR); // sticky state is per call
  while (pair.lastIndex < text.length) {
    const start = pair.lastIndex;
    const m = pair.exec(text);
    if (!m || pair.lastIndex === start) return null;
    pairs.push([unescape(m[1]!), m[3] ? null : unescape(m[2]!)]);
  }
  return pairs.length ? Object.fromEntries(pairs) : null; // not `out[key] =`: a `__proto__` key stays a plain key
}
