import { z } from 'zod';

/**
 * Building blocks for tool input schemas whose JSON schema stays small. Every tool definition is sent
 * to the model on every call, so keywords that guide no choice the model makes (`$schema`, size bounds
 * it never comes near) are left out of the JSON schema; the zod schema still checks all of them.
 */

/**
 * Leaves JSON-schema keywords out of what the model reads. Metadata replaces the keywords zod generates,
 * and one set to undefined does not survive serialization; the checks behind the keywords still run.
 */
export const withoutKeywords = <T extends z.ZodType>(schema: T, ...keywords: string[]): T =>
  schema.meta(Object.fromEntries(keywords.map((keyword) => [keyword, undefined]))) as T;

/** A string of at most `max` characters: checked, not advertised. */
export const boundedString = (max: number) => z.string().refine((s) => s.length <= max, `must be at most ${max} characters`);

/** An array of `min` to `max` items: checked, not advertised. */
export const boundedArray = <T extends z.ZodType>(item: T, max: number, min = 0) =>
  z.array(item).refine((a) => a.length >= min && a.length <= max, min ? `must have ${min} to ${max} items` : `must have at most ${max} items`);

/** The root object of a tool's input: strict (unknown keys refused), without zod's `$schema` line, which providers ignore. */
export const toolInput = <S extends z.core.$ZodLooseShape>(shape: S) => withoutKeywords(z.strictObject(shape), '$schema');
