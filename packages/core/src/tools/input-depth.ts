/**
 * The deepest object/array nesting any tool input may have. The deepest legal input is about 23 levels:
 * the root, three levels of includes (an array and an object each), then a filter 6 and/or levels deep
 * (an object and an array each) ending in a condition with a list value. Input past this bound is refused
 * before anything recursive (JSON.stringify, zod) walks it and overflows the stack.
 */
export const MAX_INPUT_DEPTH = 64;

export type InputShape = 'ok' | 'too_deep' | 'too_many_values';

/**
 * Measures nesting without recursion, stopping at the first object past `maxDepth` or the value past
 * `maxValues`: the walk costs at most `maxValues` steps whatever the input, even one built in process
 * with cycles or shared references.
 */
export function checkInputShape(input: unknown, limits: { maxDepth: number; maxValues: number }): InputShape {
  const pending: Array<{ value: unknown; depth: number }> = [{ value: input, depth: 0 }];
  let values = 1;
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth } = next;
    if (typeof value !== 'object' || value === null) continue;
    if (depth + 1 > limits.maxDepth) return 'too_deep';
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (++values > limits.maxValues) return 'too_many_values';
      pending.push({ value: child, depth: depth + 1 });
    }
  }
  return 'ok';
}
