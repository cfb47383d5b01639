// Reading a deparsed PostgreSQL Index Cond: which columns it pins by equality, and to how many values.
// String literals are the agent's values: they are set aside before any column is looked for, so a
// value spelling `ref = ` cannot pass for a condition.

interface StrippedCond {
  /** The condition with each string literal (and its `::type` cast) replaced by `'<n>'`: no column name can match inside it. */
  text: string;
  /** The literals' contents, by n. */
  literals: string[];
}

export function stripLiterals(indexCond: string): StrippedCond {
  const literals: string[] = [];
  let text = '';
  for (let i = 0; i < indexCond.length; ) {
    const quote = indexCond[i];
    if (quote !== "'" && quote !== '"') {
      text += indexCond[i++];
      continue;
    }
    // Scan to the closing quote; a doubled quote is an escaped one.
    let end = i + 1;
    let content = '';
    while (end < indexCond.length && !(indexCond[end] === quote && indexCond[end + 1] !== quote)) {
      content += indexCond[end];
      end += indexCond[end] === quote ? 2 : 1;
    }
    if (quote === '"') {
      text += indexCond.slice(i, end + 1); // a quoted identifier: a column name, kept
      i = end + 1;
      continue;
    }
    text += `'${literals.length}'`;
    literals.push(content);
    const cast = /^::(?:"(?:[^"]|"")*"|[a-z_][\w$]*(?: [a-z_][\w$]*)*)(?:\[\])*/.exec(indexCond.slice(end + 1));
    i = end + 1 + (cast?.[0].length ?? 0);
  }
  return { text, literals };
}

const quoteIdent = (name: string) => (/^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const equalityOn = (column: string) => new RegExp(`(?:^|[\\s(.])${escapeRegExp(quoteIdent(column))}\\)?(?:::[\\w ]+(?:\\[\\])?)?\\s=\\s`, 'g');

/** Whether a deparsed Index Cond compares `column` by equality, e.g. `((tenant_id)::text = 'a'::text)` or `(id = ANY (...))`. */
export function pinsColumn(indexCond: string, column: string): boolean {
  return equalityOn(column).test(stripLiterals(indexCond).text);
}

/** Whether a deparsed Index Cond names `column` outside its values. */
export function mentionsColumn(indexCond: string, column: string): boolean {
  return new RegExp(`(?:^|[^\\w$])${escapeRegExp(quoteIdent(column))}(?![\\w$])`).test(stripLiterals(indexCond).text);
}

/** Elements of an array literal's text (`{a,"b,c"}`): separators outside double quotes, counted high rather than low. */
function arrayLiteralElements(literal: string): number {
  if (!/^\{.*\}$/s.test(literal)) return Number.POSITIVE_INFINITY;
  let elements = 1;
  let quoted = false;
  for (let i = 1; i < literal.length - 1; i++) {
    if (quoted && literal[i] === '\\') i++;
    else if (literal[i] === '"') quoted = !quoted;
    else if (!quoted && literal[i] === ',') elements++;
  }
  return elements;
}

/** Keys one right-hand side searches: 1 for a value, the elements of `ANY (<array>)`; Infinity when they cannot be counted. */
function keysOf(rhs: string, literals: string[]): number {
  if (!rhs.startsWith('ANY (')) return 1;
  const literal = /^ANY \('(\d+)'\)/.exec(rhs);
  if (literal) return arrayLiteralElements(literals[Number(literal[1])]!);
  // `ANY (ARRAY[$2, $3])`, cast in a generic plan: `ANY ((ARRAY[$2, $3])::text[])`. Literals are stripped, so a `]` closes the
  // array or a nested one, which the match rejects.
  const array = /^ANY \(\(?ARRAY\[([^\]]*)\](?:\)(?:::[\w ]+(?:\[\])*)?)?\)/.exec(rhs);
  return array ? array[1]!.split(',').length : Number.POSITIVE_INFINITY;
}

/** How many values the Index Cond searches `column` for by equality (the most of its comparisons; 0 when it has none). */
export function condKeys(indexCond: string, column: string): number {
  const { text, literals } = stripLiterals(indexCond);
  let keys = 0;
  for (const m of text.matchAll(equalityOn(column))) keys = Math.max(keys, keysOf(text.slice(m.index! + m[0].length), literals));
  return keys;
}
