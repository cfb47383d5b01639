/**
 * Case-insensitive globs over field names, in two forms:
 * - `*api_key*`: `*` is any run of characters; separators (any punctuation or space) are ignored, so
 *   it also catches `apiKey`, `api-key` and `api.key` (a deny list should fail closed on naming style).
 * - `<* otp *>`: whole words. Names split into words at punctuation, spaces, camelCase humps and
 *   letter/digit changes (`otpSeed` is `otp seed`, `cvv2` is `cvv 2`); a lone `*` is any number of
 *   words, a `*` inside a word any letters. So `<* otp *>` denies `otp_seed` but not `footprint`,
 *   and `<* salt>` denies `userSalt` but not `saltContent`. Number words at either end are ignored
 *   (`salt2`, `session_1` are numbered copies of `salt`, `session`), so `<session>` denies `session2`.
 * Both forms first fold the name (see `folded`), so a disguised spelling matches like the plain one.
 */

/**
 * The name as it reads: compatibility forms folded (fullwidth `ｐａｓｓｗｏｒｄ`), accents dropped,
 * invisible characters (zero-width spaces, joiners, soft hyphens) removed rather than kept as separators.
 */
const folded = (s: string) => s.normalize('NFKD').replace(/\p{M}|\p{Default_Ignorable_Code_Point}/gu, '');

/** For the character form: letters and digits only, so any punctuation (`api.key`, `api:key`) is a separator. */
const normalize = (s: string) => folded(s).toLowerCase().replace(/[^\p{L}\p{N}*]/gu, '');

const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** ' word word ...': lower-case words, each after one space. Keeps `*` so a glob splits like a name. */
function words(s: string): string {
  const split = folded(s)
    .replace(/(\p{L})(?=\p{N})|(\p{N})(?=\p{L})/gu, '$1$2 ')
    .replace(/(\p{Ll})(?=\p{Lu})|(\p{Lu})(?=\p{Lu}\p{Ll})/gu, '$1$2 ')
    .toLowerCase()
    .split(/[^\p{L}\p{N}*]+/u)
    .filter(Boolean);
  return split.map((w) => ` ${w}`).join('');
}

/**
 * The words without number words at either end: a numbered copy (`salt2`, `session_1`) is as secret as
 * the name. Tried besides the whole name, not instead, so a glob that has a number (`<* 2fa *>`) still matches.
 */
const withoutEndNumbers = (split: string) => split.replace(/^(?: \p{N}+)+|(?: \p{N}+)+$/gu, '');

function wordGlobToRegExp(glob: string): RegExp {
  const body = words(glob.slice(1, -1))
    .split(' ')
    .slice(1)
    .map((word) => (word === '*' ? '(?: [^ ]+)*' : ` ${word.split('*').map(escape).join('[^ ]*')}`))
    .join('');
  return new RegExp(`^${body}$`, 'u');
}

function charGlobToRegExp(glob: string): RegExp {
  return new RegExp(`^${normalize(glob).split('*').map(escape).join('.*')}$`);
}

const isWordGlob = (glob: string) => glob.startsWith('<') && glob.endsWith('>');

// Policies are few and fixed: compile each glob once (up to a bound, should globs be generated).
const compiled = new Map<string, (name: string) => boolean>();
const MAX_COMPILED = 1_000;

function compile(glob: string): (name: string) => boolean {
  if (isWordGlob(glob)) {
    const re = wordGlobToRegExp(glob);
    return (name) => {
      const split = words(name);
      return re.test(split) || re.test(withoutEndNumbers(split));
    };
  }
  const re = charGlobToRegExp(glob);
  return (name) => re.test(normalize(name));
}

export function matchesGlob(name: string, glob: string): boolean {
  let test = compiled.get(glob);
  if (!test) {
    test = compile(glob);
    if (compiled.size < MAX_COMPILED) compiled.set(glob, test);
  }
  return test(name);
}
