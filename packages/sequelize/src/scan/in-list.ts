/** The longest `IN (...)` list of a compiled statement: how many times an equality search may run. */
export function longestInList(sql: string): number {
  return Math.max(1, ...[...sql.matchAll(/\bIN \(([^()]*)\)/g)].map((m) => m[1]!.split(',').length));
}
