/**
 * Case-insensitive `*` globs over field names. Separators are ignored so `*api_key*` also
 * catches `apiKey` and `api-key`: a deny list should fail closed on naming style.
 */
const normalize = (s: string) => s.toLowerCase().replace(/[_\-\s]/g, '');

function globToRegExp(glob: string): RegExp {
  const body = normalize(glob)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

export function matchesGlob(name: string, glob: string): boolean {
  return globToRegExp(glob).test(normalize(name));
}
