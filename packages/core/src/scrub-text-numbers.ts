/**
 * Card, phone and social security numbers in free text. Numbers are read as runs of digit groups,
 * then judged by their shape: a card is 13-19 digits in groups of 3+ with a valid Luhn checksum
 * and a card network's first digit; a phone number has a `+`, an area code in parentheses, a
 * trunk `0`, or the North American 3-3-4 shape. Dates, prices, versions and thousands stay.
 */

// One separator between groups: one or two spaces (no line breaks), a dot, or a dash of any width.
const SEP = String.raw`(?:[^\S\r\n]{1,2}|[.\u2010-\u2015\u2212-])`;
const PAREN = String.raw`\(\+?\d{1,5}\)`;

/**
 * A run of digit groups, not continuing a word, id, path or number (`v2.1`, `ORD-2026`, `#100234`,
 * `/orders/42`). Each repetition starts with a separator, `(` or follows `)`, so the run is matched
 * in one pass.
 */
export const DIGIT_RUN = new RegExp(
  String.raw`(?<![\p{L}\p{N}_#/]|[\p{L}\p{N}_][.\-])(?:\+${SEP}?)?(?:${PAREN}|\d+)(?:${SEP}?${PAREN}|${SEP}\d+|(?<=\))\d+)*`,
  'gu',
);

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1 && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

// Card numbers start with 2-6, so millisecond timestamps (starting with 1) are left alone.
const isCardNumber = (digits: string) => digits.length >= 13 && digits.length <= 19 && /^[2-6]/.test(digits) && luhn(digits);

/** Replaces each card number inside the run: consecutive groups of 3+ digits that add up to one. */
function replaceCards(run: string): string {
  const groups = [...run.matchAll(/\d+/g)];
  let out = '';
  let copied = 0;
  for (let i = 0; i < groups.length; i++) {
    let digits = '';
    for (let j = i; j < groups.length; j++) {
      const group = groups[j]!;
      if (group[0].length < 3 || digits.length + group[0].length > 19) break;
      digits += group[0];
      if (isCardNumber(digits)) {
        out += `${run.slice(copied, groups[i]!.index)}[card]`;
        copied = group.index + group[0].length;
        i = j;
        break;
      }
    }
  }
  return copied === 0 ? run : out + run.slice(copied);
}

const looksLikeDate = (run: string) => /^(?:\d{1,2}\D\d{1,2}\D(?:19|20)\d\d|(?:19|20)\d\d\D\d{1,2}\D\d{1,2})(?!\d)/.test(run);

function isPhone(run: string): boolean {
  const groups = run.match(/\d+/g) ?? [];
  const digits = groups.join('');
  const n = digits.length;
  if (run.startsWith('+')) return n >= 8 && n <= 15; // E.164
  if (run.includes('(')) return n >= 9 && n <= 12;
  // Unseparated: North American or trunk-0 national numbers, +1 or Chinese mobiles without their `+`.
  if (groups.length === 1) return (n === 10 && !digits.startsWith('1')) || (n === 11 && /^[01]/.test(digits));
  // Written numbers use one separator throughout; `2026-11-28 14` mixes two.
  const separators = new Set(run.match(/\D+/g)!.map((s) => s.trim() || ' '));
  if (separators.size !== 1 || looksLikeDate(run)) return false;
  if (digits.startsWith('0')) return n >= 9 && n <= 12 && groups.every((g) => g.length <= 6);
  const shape = groups.map((g) => g.length).join('-');
  return (shape === '3-3-4' && /^[2-9]/.test(digits)) || (shape === '1-3-3-4' && groups[0] === '1') || (shape === '3-4-4' && /^1[3-9]/.test(digits));
}

const isSsn = (run: string) => /^\d{3}([- ])\d{2}\1\d{4}$/.test(run) && !run.startsWith('000');

/** The replacement for one DIGIT_RUN match (a `String.prototype.replace` callback). */
export function scrubDigitRun(run: string, offset: number, text: string): string {
  // Glued to a letter it is part of an identifier (`2026-11-28T14`, a hex id), not a number.
  if (/[\p{L}_]/u.test(text.charAt(offset + run.length))) return run;
  const withoutCards = replaceCards(run);
  if (withoutCards !== run) return withoutCards;
  if (isSsn(run)) return '[ssn]';
  return isPhone(run) ? '[phone]' : run;
}
