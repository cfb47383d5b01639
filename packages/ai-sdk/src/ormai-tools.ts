import { asSchema, jsonSchema, tool, type ToolSet } from 'ai';
import { errors, type ErrorPayload, type OrmAI, type RunContext, type ToolResult } from '@ormai/core';
import { resolveRunContext, type ContextOption } from './run-context.js';
import { ToolCallBudget } from './tool-call-budget.js';
import { memoryStepBudget, runIdentities, runIdOf, sharedStepBudget } from './step-budget.js';

export interface OrmAIToolsOptions {
  /** The run context (tenant, user...), or a function resolving it per call. Default: `experimental_context`. */
  context?: ContextOption;
  /**
   * Tool calls allowed per run. A run is the context's `requestId`; else one generateText/streamText
   * call (the identity of its `experimental_context` object); else the context's `sessionId`; else the
   * tool set. Always per tenant and user. Past it every tool returns `step_budget_exceeded`. Default 20.
   */
  maxToolCalls?: number;
  /**
   * Count runs named by a `requestId` or `sessionId` in the OrmAI instance's budget store, so one run
   * gets one budget across instances and tool sets (calls within 15 minutes, a sliding window; the
   * store sees only an HMAC of tenant, user and run id). Runs named by their generateText call or the
   * tool set are per process and stay in memory. Default: true when the instance has a shared store
   * (`ormai.budgets.shared`).
   */
  sharedRunBudget?: boolean;
  /** Receives unexpected errors (context resolution failures); the model only sees `internal_error`. */
  onError?: (error: unknown, info: { tool: string }) => void;
  /**
   * Ask the user before any write tool runs, through the AI SDK's tool approval (`needsApproval`): a chat
   * UI shows approve/deny. This confirms the agent's intent; OrmAI's own approval gates still apply after it.
   */
  confirmWrites?: boolean | ((toolName: string, input: unknown) => boolean | Promise<boolean>);
}

/** What the model receives when a call is refused: enough to recover, nothing internal. */
export interface ToolErrorResult {
  error: ErrorPayload;
}

const asToolOutput = (result: ToolResult): unknown => (result.ok ? result.data : { error: result.error });

/**
 * The instance's tools as AI SDK tools: the generic tools the policy's switches leave on, and its domain
 * tools (`defineTool`), each through the same pipeline. Pass them as `tools` to generateText/streamText.
 * Refusals come back as tool results (`{ error: {...} }`), not exceptions, so the loop continues and the
 * model can correct itself.
 */
export function ormaiTools(ormai: OrmAI, options: OrmAIToolsOptions = {}): ToolSet {
  const budget = new ToolCallBudget(options.maxToolCalls ?? 20);
  const identify = runIdentities();
  // The step budget is a pipeline middleware: inside the audit, so its refusals are recorded like any call's.
  const guarded = ormai.withMiddleware(memoryStepBudget(budget));
  const shared = (options.sharedRunBudget ?? ormai.budgets.shared) ? ormai.withMiddleware(sharedStepBudget(ormai, budget.maxToolCalls, options.onError)) : guarded;
  // A call whose run context could not be resolved still goes through the pipeline (and the audit).
  const unresolved = guarded.withMiddleware({ name: 'context-unresolved', wrapCall: async () => ({ ok: false, error: errors.internal().toJSON() }) });
  const tools: ToolSet = {};
  for (const spec of ormai.tools()) {
    const confirm = spec.access === 'write' ? options.confirmWrites : undefined;
    tools[spec.name] = tool({
      description: spec.description,
      // The SDK only describes the input to the model; OrmAI validates it, so malformed input gets a
      // structured invalid_input result (and counts against the run's budget) instead of an SDK error.
      inputSchema: jsonSchema<unknown>(() => asSchema(spec.inputSchema).jsonSchema),
      ...(confirm ? { needsApproval: typeof confirm === 'function' ? (input: unknown) => confirm(spec.name, input) : true } : {}),
      execute: async (input: unknown, { experimental_context, toolCallId }) => {
        let context: RunContext | undefined;
        try {
          context = await resolveRunContext(options.context, { toolName: spec.name, experimentalContext: experimental_context });
        } catch (error) {
          options.onError?.(error, { tool: spec.name });
          return asToolOutput(await unresolved.callTool(spec.name, input, null as never, { toolCallId }));
        }
        const run = context ? identify(context, experimental_context) : undefined;
        const runner = run?.kind === 'request' || run?.kind === 'session' ? shared : guarded;
        const runId = context && run ? runIdOf(context, run) : undefined;
        return asToolOutput(await runner.callTool(spec.name, input, context as never, { toolCallId, ...(runId !== undefined ? { runId } : {}) }));
      },
    });
  }
  return tools;
}
