/**
 * How many values each column of a compiled statement may be searched for by equality, by database
 * column name: the keys of its `IN (...)` lists plus its `=` comparisons (an OR of equalities on one
 * column is searched like an IN list, and either database may rewrite it into one).
 */
export function equalityKeys(sql: string): Map<string, number> {
  const keys = new Map<string, number>();
  for (const m of sql.matchAll(/\bt\."((?:[^"]|"")+)" (?:= \$\d+|IN \(([^()]*)\))/g)) {
    const column = m[1]!.replace(/""/g, '"');
    keys.set(column, (keys.get(column) ?? 0) + (m[2] === undefined ? 1 : m[2].split(',').length));
  }
  return keys;
}

/**
 * How many searches an index walk pinning `columns` by equality runs: the product of their keys. A column
 * the statement does not name counts as its longest list; unknown columns, as every list multiplied.
 */
export function searchesFor(keys: Map<string, number>, columns: string[] | undefined): number {
  const counts = columns ? columns.map((c) => keys.get(c) ?? Math.max(1, ...keys.values())) : [...keys.values()];
  return counts.reduce((product, n) => product * n, 1);
}
