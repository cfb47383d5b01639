import { z } from 'zod';
import { sanitizeDomainInput } from '../../audit/sanitize-domain-input.js';
import type { DomainTool, ToolAccess } from '../../spec/domain-tools.js';
import { domainToolContext } from './data-handle.js';
import { DOMAIN_OFFER, type OfferDomainTool } from './domain-offer.js';
import { inputKeys } from './input-keys.js';
import { ToolDefinitionError } from './tool-definition-error.js';

/** Names every model provider accepts for a function; `db_` is kept for OrmAI's own tools, present and future. */
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

function check(tool: DomainTool): void {
  const name = String(tool?.name);
  const problem = !NAME.test(name)
    ? 'use letters, digits and underscores (at most 64, starting with a letter)'
    : /^db_/i.test(name)
      ? "the db_ prefix is reserved for OrmAI's generic tools"
      : typeof tool.description !== 'string' || !tool.description.trim()
        ? 'a description is required (the model reads it)'
        : typeof (tool.input as { safeParse?: unknown } | undefined)?.safeParse !== 'function'
          ? 'input must be a zod schema'
          : tool.access !== 'read' && tool.access !== 'write'
            ? "access must be 'read' or 'write'"
            : typeof tool.run !== 'function'
              ? 'run must be a function'
              : undescribable(tool.input);
  if (problem) throw new ToolDefinitionError(`domain tool '${name}': ${problem}`);
}

/** The model is sent the input as JSON Schema: a part it cannot describe (a Date, a BigInt, z.custom) would fail every model call, not this one. */
function undescribable(input: z.ZodType): string | null {
  try {
    z.toJSONSchema(input, { target: 'draft-7', io: 'input' });
    return null;
  } catch (error) {
    return `input must be describable as JSON Schema, which the model reads (${(error as Error).message})`;
  }
}

/**
 * A task-shaped tool for the agent, offered with `createOrmAI({ tools })` or `ormai.withTools(...)` next to
 * the generic tools and run through the same pipeline: its input checked against `input` (refusals are
 * `invalid_input`), one audit record per call, quotas and the AI SDK step budget, structured errors.
 * `run(input, ctx)` reads and writes only through `ctx.db`, under the call's policy and tenant; an
 * `OrmAIError` it lets through is the tool's structured error, any other error is `internal_error`
 * (and reaches `onError`). Throws a `ToolDefinitionError` for a bad or reserved name or a missing part.
 */
export function defineTool<S extends z.ZodType, A extends ToolAccess, O>(tool: DomainTool<S, A, O>): DomainTool<S, A, O> {
  const definition = { ...tool } as unknown as DomainTool;
  check(definition);
  const keys = inputKeys(definition.input);
  const offer: OfferDomainTool = (host) => ({
    spec: { name: definition.name, description: definition.description, inputSchema: definition.input, access: definition.access },
    bound: host.bound,
    async run(input, env, call) {
      const { ctx, close } = domainToolContext(definition.access, env, call, host);
      try {
        return await definition.run(input, ctx);
      } finally {
        await close();
      }
    },
    auditInput: (input, bound, hashKey) => sanitizeDomainInput(input, keys, bound, hashKey),
  });
  Object.defineProperty(definition, DOMAIN_OFFER, { value: offer });
  return Object.freeze(definition) as unknown as DomainTool<S, A, O>;
}
