import { errors } from '../errors.js';
import { errorWording } from '../error-wording.js';
import type { ToolSpec } from '../spec/tools.js';
import { checkInputShape, MAX_INPUT_DEPTH, type InputShape } from './input-depth.js';
import { LIMITS } from './input-schemas.js';

const MAX_INPUT_BYTES = 64 * 1024;

/** Untrusted input checked against a tool's schema: size and depth first, then zod. Refusals are `invalid_input`. */
export function parseInput(tool: Pick<ToolSpec, 'name' | 'description' | 'inputSchema'>, input: unknown): unknown {
  // Shape first, without recursion: JSON.stringify and zod overflow the stack on deeply nested input.
  let shape: InputShape;
  let size = 0;
  try {
    shape = checkInputShape(input, { maxDepth: MAX_INPUT_DEPTH, maxValues: MAX_INPUT_BYTES });
    if (shape === 'ok') size = JSON.stringify(input ?? null).length;
  } catch {
    throw errors.invalidInput(errorWording.invalidInput.notJson());
  }
  if (shape === 'too_deep') {
    throw errors.invalidInput(errorWording.invalidInput.tooDeep(MAX_INPUT_DEPTH, LIMITS.maxFilterDepth), { maxDepth: MAX_INPUT_DEPTH });
  }
  if (shape === 'too_many_values' || size > MAX_INPUT_BYTES) throw errors.invalidInput(errorWording.invalidInput.tooLarge());
  const parsed = tool.inputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`);
  throw errors.invalidInput(errorWording.invalidInput.schema(tool.name, issues, tool.description), { issues });
}
