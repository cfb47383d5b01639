import type { z } from 'zod';

type Def = Record<string, unknown>;
const defOf = (schema: unknown): Def | undefined => (schema as { _zod?: { def?: Def } } | null)?._zod?.def;

/**
 * Every object key a zod schema declares, at any depth (through arrays, unions, optionals, pipes and
 * lazy schemas): the names a domain tool's audit record may keep as written. Record keys are data and
 * are not listed.
 */
export function inputKeys(schema: z.ZodType): Set<string> {
  const keys = new Set<string>();
  const seen = new Set<Def>();
  const visit = (node: unknown): void => {
    const def = defOf(node);
    if (!def || seen.has(def)) return;
    seen.add(def);
    const shape = def.shape as Record<string, unknown> | undefined;
    for (const [key, inner] of Object.entries(shape ?? {})) {
      keys.add(key);
      visit(inner);
    }
    for (const inner of [def.innerType, def.element, def.in, def.out, def.valueType, def.left, def.right]) visit(inner);
    for (const option of [...((def.options as unknown[]) ?? []), ...((def.items as unknown[]) ?? [])]) visit(option);
    if (typeof def.getter === 'function') visit(def.getter());
  };
  visit(schema);
  return keys;
}
