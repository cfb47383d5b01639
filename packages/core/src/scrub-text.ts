/**
 * Removes PII and credentials from free text before it is logged (the model's own words can repeat
 * what it read). Patterns are deliberately broad: a false positive costs a log line some detail.
 */
const RULES: Array<[RegExp, string]> = [
  [/\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g, '[email]'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g, '[token]'], // JWT
  [/\b(?:sk|pk|rk|ghp|gho|xox[abp]|AKIA)[-_A-Za-z0-9]{12,}\b/g, '[token]'], // common API key prefixes
  [/\b(?:bearer|token|api[_-]?key|secret|password)\s*[:=]?\s*\S{8,}/gi, '[credential]'],
  [/\$(?:argon2(?:id|i|d)|2[aby]|scrypt|pbkdf2)\$\S+/g, '[password-hash]'],
  [/\b(?:\d[ -]?){13,19}\b/g, '[card]'],
  [/(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}[\s.-]\d{3,4}[\s.-]?\d{0,4}\b/g, '[phone]'],
  [/\b[A-Fa-f0-9]{32,}\b/g, '[token]'],
  [/\b[A-Za-z0-9+/_-]{40,}={0,2}/g, '[token]'],
];

export function scrubText(text: string): string {
  return RULES.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}
