/**
 * Removes PII and credentials from free text before it is logged (the model's own words can repeat
 * what it read). Broad where a miss is costly (credentials, hashes), structural where a false positive
 * would eat ordinary numbers (phones need three digit groups, cards a valid Luhn checksum).
 */
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1 && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

const card = (match: string) => {
  const digits = match.replace(/\D/g, '');
  // Payment card numbers start with 2-6 (so millisecond timestamps, starting with 1, are left alone).
  return digits.length >= 13 && digits.length <= 19 && /^[2-6]/.test(digits) && luhn(digits) ? '[card]' : match;
};

const RULES: Array<[RegExp, string | ((match: string, ...groups: string[]) => string)]> = [
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*/g, '[email]'],
  // crypt(3)-style and framework password hashes
  [/\$(?:2[abxy]?|1|5|6|y|argon2(?:id|i|d)|scrypt|pbkdf2(?:-\w+)?)\$[^\s"']+/g, '[password-hash]'],
  [/\b(?:pbkdf2_sha\d+|bcrypt(?:_sha256)?|argon2|scrypt)\$[^\s"']+/g, '[password-hash]'],
  // JWTs and well-known API key shapes
  [/\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/g, '[token]'],
  [/\b(?:(?:sk|pk|rk)[-_](?:live[-_]|test[-_])?[A-Za-z0-9]{12,}|(?:ghp|gho|ghu|ghs|github_pat)_\w{20,}|xox[abpr]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[\w-]{35})/g, '[token]'],
  [/\bbearer\s+[\w.~+/-]{8,}=*/gi, '[credential]'],
  // "password: x", "api_key=x", "password is x"
  [/\b(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key)(\s*[:=]\s*)("[^"]*"|'[^']*'|\S+)/gi, (_m, key: string, sep: string) => `${key}${sep}[credential]`],
  [/\b(password|passwd|pwd)(\s+is\s+)("[^"]*"|'[^']*'|\S+)/gi, (_m, key: string, sep: string) => `${key}${sep}[credential]`],
  [/\b\d{4}[ -]?\d{6}[ -]?\d{5}\b|\b\d{4}(?:[ -]?\d{4}){2,3}(?:[ -]?\d{1,3})?\b|\b\d{13,19}\b/g, card],
  [/\b\d{3}-\d{2}-\d{4}\b/g, '[ssn]'],
  [/(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?|\b\d{2,4}[\s.-])\d{3,4}[\s.-]\d{3,4}\b/g, '[phone]'],
  [/\+\d{8,15}\b/g, '[phone]'],
  [/\b\d{10,11}\b/g, '[phone]'],
  [/\b[A-Fa-f0-9]{32,}\b/g, '[token]'],
  [/\b[A-Za-z0-9+/_-]{40,}={0,2}/g, '[token]'],
];

export function scrubText(text: string): string {
  return RULES.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement as string), text);
}
