import { DIGIT_RUN, scrubDigitRun } from './scrub-text-numbers.js';

/**
 * Removes PII and credentials from free text before it is logged (the model's own words can repeat
 * what it read). Broad where a miss is costly (keys, tokens, hashes, anything labelled a password),
 * structural where a false positive would eat ordinary numbers (see scrub-text-numbers.ts; IBANs
 * need their checksum). UUIDs are ids, not PII, and stay. Every pattern starts only where a token
 * starts and never retries inside a match, so the time grows with the text, not its square.
 */

type Replacer = (match: string, ...args: never[]) => string;

// Words after "the password is" that describe it rather than give it.
const NOT_A_VALUE = new Set(
  ('a an the not no too very now still being been also only never always what this that your my his her their our its ' +
    'correct incorrect wrong invalid valid required optional mandatory missing empty blank expired changed reset updated set ' +
    'stored hashed encrypted salted hidden masked redacted protected secure insecure weak strong short long case different same ' +
    'unknown known available unavailable visible shown sent saved needed compromised leaked locked disabled enabled ok fine ' +
    'generated managed rotated revoked null undefined none on in at for of to').split(' '),
);

const PASSWORD_WORD = String.raw`pass(?:word|wd|code|phrase)|passwort|pwd|mot de passe|contrase[ñn]a|senha`;
const SECRET_WORD = String.raw`(?:secret|api|access|private)[ _-]?key|secret|token|credentials?|session[ _-]?(?:id|key|cookie)|auth[ _-]?(?:key|code)`;
const CODE_WORD = String.raw`pin|otp|one[ -]time (?:code|pin)|(?:verification|security|confirmation|2fa|mfa) code|cvv2?|cvc2?`;
// A key written as an identifier: `DB_PASSWORD`, `x-api-key`, `aws_secret_access_key`. Bounded, so
// a long word full of keywords cannot make the pattern retry from each of them to the end.
const keyed = (words: string) => String.raw`(?<![\p{L}\p{N}])[\p{L}\p{N}_.-]{0,40}?(?:${words})[\p{L}\p{N}_.-]{0,40}`;
const bare = (words: string) => String.raw`(?<![\p{L}\p{N}])(?:${words})`;
const ASSIGN = String.raw`["']?\s*(?::=|=>|[:=])\s*`;
const QUALIFIER = String.raw`(?:\s+(?:for|of)\s+[^\s:=]+(?:\s+[^\s:=]+){0,3}?)?`;
const VERB = String.raw`\s+(?:(?:is|was|are|were|has been|had been|will be|remains)(?:\s+(?:now|still))?(?:\s+(?:set|changed|reset|updated)\s+to)?|(?:set|changed|reset|updated)\s+to)\s+`;
const CODE_SEPARATOR = String.raw`(?:\s+(?:code|number))?(?:\s*(?:[:=#]|is|was)\s*|\s+)`;
const CODE = String.raw`\d(?:[ -]?\d){2,9}(?!\d)`;
const VALUE = String.raw`"[^"\r\n]*"|'[^'\r\n]*'|[^\s"'<>]+`;

/** True when the keyword is a word of the key (`DB_PASSWORD`, `dbPassword`), not inside one (`shipping`, `secretary`). */
function standsAlone(key: string, keyword: RegExp): boolean {
  for (const m of key.matchAll(keyword)) {
    const before = key.charAt(m.index - 1);
    const after = key.charAt(m.index + m[0].length);
    const startsWord = !before || /[^\p{L}]/u.test(before) || (/\p{Ll}/u.test(before) && /\p{Lu}/u.test(m[0].charAt(0)));
    const endsWord = !after || /[^\p{L}]/u.test(after) || (/\p{Lu}/u.test(after) && /\p{Ll}/u.test(m[0].charAt(m[0].length - 1)));
    if (startsWord && endsWord) return true;
  }
  return false;
}

function trailingPunctuation(value: string): string {
  let start = value.length;
  while (start > 0 && '.,;:!?)]}'.includes(value.charAt(start - 1))) start--;
  return value.slice(start);
}

/** Replaces a labelled value, keeping the label, the quotes and trailing punctuation; `accept` judges the bare value. */
function labelledValue(keywords: string, accept: (value: string) => boolean): Replacer {
  const keyword = new RegExp(keywords, 'giu');
  return (match: string, key: string, between: string, value: string) => {
    if (/^\[[a-z-]+\]/.test(value)) return match; // already scrubbed by an earlier rule
    const quote = /^["']/.test(value) ? value.charAt(0) : '';
    const trailing = quote ? '' : trailingPunctuation(value);
    const bare = quote ? value.slice(1, -1) : value.slice(0, value.length - trailing.length);
    if (!standsAlone(key, keyword) || !bare || NOT_A_VALUE.has(bare.toLowerCase()) || !accept(bare)) return match;
    return `${key}${between}${quote}[credential]${quote}${trailing}`;
  };
}

const anyValue = () => true;
const notANumber = (value: string) => !/^[\d.,_%+-]+$/.test(value); // `max_tokens: 4096` is a setting
const hasDigit = (value: string) => /\d/.test(value); // "the token is expired" is prose

const lastSeparator = (text: string, before: number) => Math.max(text.lastIndexOf(' ', before), text.lastIndexOf('-', before));

function iban(match: string): string {
  // Words after the number can look like a last group (`... 7034 EUR`): drop them until the checksum holds.
  for (let end = match.length; end > 0; end = lastSeparator(match, end - 1)) {
    const compact = match.slice(0, end).replace(/[ -]/g, '');
    if (compact.length >= 15 && mod97(compact) === 1) return `[iban]${match.slice(end)}`;
  }
  return match;
}

function mod97(iban: string): number {
  let rest = 0;
  for (const ch of iban.slice(4) + iban.slice(0, 4)) {
    const value = parseInt(ch, 36);
    rest = value > 9 ? (rest * 100 + value) % 97 : (rest * 10 + value) % 97;
  }
  return rest;
}

const hasLetter = (s: string) => /\p{L}/u.test(s);
// `ai@6.0.326` is a package version; a domain has a letter (or is an address literal).
const email = (match: string, domain: string) => (domain.startsWith('[') || hasLetter(domain) ? '[email]' : match);

// A bearer credential is not an ordinary word: it has a digit, a capital or a symbol.
const bearer = (match: string, scheme: string, space: string, token: string) =>
  /[\dA-Z._~+/=-]/.test(token) ? `${scheme}${space}[credential]` : match;

const randomLooking = (match: string) => (/\d/.test(match) && /[a-z]/.test(match) && /[A-Z]/.test(match) ? '[token]' : match);

const RULES: Array<[RegExp, string | Replacer]> = [
  // PEM private keys, to the END line (or as far as the key's characters go when the text is cut)
  [/-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----[A-Za-z0-9+/=\s:,.\\-]*?(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|(?![A-Za-z0-9+/=\s:,.\\-]))/g, '[private-key]'],
  // Credentials in URLs: scheme://user:password@host
  [/((?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:)[^\s@/]+@/gi, '$1[credential]@'],
  // JWTs, signed or not (`header.payload.` with an empty signature)
  [/(?<![\w-])eyJ[\w-]{5,}(?:\.[\w-]*){1,4}/g, '[token]'],
  // Well-known key shapes: Stripe, OpenAI, Anthropic, GitHub, GitLab, npm, Slack, AWS (long-term and
  // temporary), Google (API keys, OAuth access tokens, Cloud Storage HMAC keys), Azure AD client secrets
  [
    /(?<![\w-])(?:(?:sk|pk|rk)[-_](?:live|test|proj|ant-api\d\d)[-_][\w-]{10,}|(?:sk|pk|rk)[-_][A-Za-z0-9]{12,}|whsec_[A-Za-z0-9+/=]{20,}|(?:ghp|gho|ghu|ghs|ghr)_\w{20,}|github_pat_\w{20,}|glpat-[\w-]{20,}|npm_[A-Za-z0-9]{30,}|xox[abpers]-[A-Za-z0-9-]{10,}|(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}|AIza[\w-]{35,}|ya29\.[\w-]{20,}|GOOG1[A-Z0-9]{20,}|[\w.-]{3}\dQ~[\w.~-]{31,34})/g,
    '[token]',
  ],
  // Azure shared access signatures: the `sig` parameter of a SAS URL or token
  [/(\bsig=)[\w%+/=-]{16,}/g, '$1[credential]'],
  [/\b(authorization\s*[:=]\s*(?:[A-Za-z]+\s+)?)[\w.~+/=-]{8,}/gi, '$1[credential]'],
  [/\b(bearer|basic)(\s+)([\w.~+/-]{8,}=*)/gi, bearer],
  // crypt(3)-style and framework password hashes
  [/\$(?:2[abxy]?|1|5|6|y|argon2(?:id|i|d)|scrypt|pbkdf2(?:-\w+)?)\$[^\s"']+/g, '[password-hash]'],
  [/\b(?:pbkdf2_sha\d+|bcrypt(?:_sha256)?|argon2|scrypt)\$[^\s"']+/g, '[password-hash]'],
  // Emails, with international characters, quoted local parts and address literals
  [
    /(?:(?<![\p{L}\p{M}\p{N}._%+-])[\p{L}\p{M}\p{N}_%+-][\p{L}\p{M}\p{N}._%+'-]*|"[^"\r\n]{1,64}")@([\p{L}\p{M}\p{N}-]+(?:\.[\p{L}\p{M}\p{N}-]+)*|\[[\d.:A-Fa-f]+\])/gu,
    email,
  ],
  // Labelled secrets: "password: x", "DB_PASSWORD=x", "the password for jane is x", "PIN 1234"
  [new RegExp(`(${keyed(PASSWORD_WORD)})(${ASSIGN})(${VALUE})`, 'giu'), labelledValue(PASSWORD_WORD, anyValue)],
  [new RegExp(`(${bare(PASSWORD_WORD)})(${QUALIFIER}${VERB})(${VALUE})`, 'giu'), labelledValue(PASSWORD_WORD, anyValue)],
  [new RegExp(`(${keyed(SECRET_WORD)})(${ASSIGN})(${VALUE})`, 'giu'), labelledValue(SECRET_WORD, notANumber)],
  [new RegExp(`(${bare(SECRET_WORD)})(${QUALIFIER}${VERB})(${VALUE})`, 'giu'), labelledValue(SECRET_WORD, hasDigit)],
  [new RegExp(`(${keyed(CODE_WORD)})(${CODE_SEPARATOR})(${CODE})`, 'giu'), labelledValue(CODE_WORD, anyValue)],
  // IBANs, compact or in groups of four (spaces or dashes), when the checksum holds
  [/(?<![\p{L}\p{N}_])[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,3})?/gu, iban],
  // Card, phone and social security numbers, judged by their shape (scrub-text-numbers.ts)
  [DIGIT_RUN, scrubDigitRun],
  // Hex secrets and hashes (a UUID's dashes keep it out), then long random-looking strings
  [/(?<![\p{L}\p{N}_])[A-Fa-f0-9]{32,}(?![\p{L}\p{N}_])/gu, '[token]'],
  [/(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{40,}={0,2}/g, randomLooking],
];

const scrubPatterns = (text: string): string => RULES.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement as string), text);

const NON_ASCII = /[^\x00-\x7F]/;
const DECIMAL_DIGIT = /\p{Nd}/u;

/** A decimal digit of any script as its ASCII digit: Unicode encodes each script's digits as a run from 0 to 9. */
function asciiDigit(digit: string): string {
  let code = digit.codePointAt(0)!;
  let offset = 0;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(code - 1))) {
    code--;
    offset++;
  }
  return String(offset % 10);
}

/**
 * Text as the patterns can read it: compatibility forms folded (`４１１１`, `jane＠acme.test`, no-break
 * spaces), invisible characters dropped (a zero-width space or soft hyphen between digit groups) and
 * other scripts' digits made ASCII (`٤١١١`). A reader sees the same number either way.
 */
export const foldForScrub = (text: string): string =>
  text.normalize('NFKC').replace(/\p{Default_Ignorable_Code_Point}/gu, '').replace(/\p{Nd}/gu, (d) => (d < '\x80' ? d : asciiDigit(d)));

/**
 * `text` without the PII and secrets below. What hides behind compatibility forms, invisible characters or
 * other digits is caught on the folded text, which is then what comes back; text in which folding reveals
 * nothing comes back as written.
 */
export function scrubText(text: string): string {
  const scrubbed = scrubPatterns(text);
  if (!NON_ASCII.test(scrubbed)) return scrubbed;
  const folded = foldForScrub(scrubbed);
  if (folded === scrubbed) return scrubbed;
  const again = scrubPatterns(folded);
  return again === folded ? scrubbed : again;
}
