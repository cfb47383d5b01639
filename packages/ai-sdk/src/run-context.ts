import { runContextSchema, type RunContext } from '@ormai/core';

export interface ContextSource {
  toolName: string;
  /** What the caller passed as `experimental_context` to generateText/streamText. */
  experimentalContext: unknown;
}

/** A fixed context, or a function resolving it per tool call (from the request's session, say). */
export type ContextOption = RunContext | ((source: ContextSource) => RunContext | Promise<RunContext>);

/**
 * The run context comes from the host: the `context` option when given, otherwise the
 * `experimental_context` of the generateText/streamText call, validated. Never from the model's input.
 * Returns undefined when there is none; core then refuses the call with `invalid_context`.
 */
export async function resolveRunContext(option: ContextOption | undefined, source: ContextSource): Promise<RunContext | undefined> {
  if (typeof option === 'function') return option(source);
  if (option) return option;
  const parsed = runContextSchema.safeParse(source.experimentalContext);
  return parsed.success ? parsed.data : undefined;
}
