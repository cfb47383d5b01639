/**
 * A budget key from its parts, as a JSON array: the encoding is injective, so tenant 'a:b' with user
 * 'c' and tenant 'a' with user 'b:c' never share a budget, and a null tenant is not the tenant 'null'.
 */
export function budgetKey(...parts: ReadonlyArray<string | number | null>): string {
  return JSON.stringify(parts);
}
