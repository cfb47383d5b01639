import { errors, type CallMiddleware, type OrmAI, type RunContext, type ToolResult } from '@ormai/core';
import type { ToolCallBudget } from './tool-call-budget.js';

/** A shared run's calls count for this long (the in-memory budget's idle time): a sliding window in the store. */
const SHARED_RUN_WINDOW_MS = 15 * 60_000;

/** What names a run (see `maxToolCalls`): a request or session id can be shared across instances; an object's identity cannot. */
export interface RunIdentity {
  kind: 'request' | 'session' | 'run' | 'toolset';
  id: string;
}

/** The run's key for the audit (`runId`) and for the in-memory budget. */
export const runIdOf = (context: RunContext, run: RunIdentity): string =>
  `${JSON.stringify([context.tenantId ?? null, context.userId])}:${run.kind}${run.kind === 'toolset' ? '' : `:${run.id}`}`;

/** Names the run a call belongs to: the request id, else the generateText call (its experimental_context object), else the session, else the tool set. */
export function runIdentities() {
  const runIds = new WeakMap<object, number>();
  let next = 0;
  return (context: RunContext, experimentalContext: unknown): RunIdentity => {
    if (context.requestId) return { kind: 'request', id: context.requestId };
    if (typeof experimentalContext === 'object' && experimentalContext !== null) {
      let id = runIds.get(experimentalContext);
      if (id === undefined) runIds.set(experimentalContext, (id = next++));
      return { kind: 'run', id: String(id) };
    }
    if (context.sessionId) return { kind: 'session', id: context.sessionId };
    return { kind: 'toolset', id: '' };
  };
}

const exceeded = (maxToolCalls: number): ToolResult => ({ ok: false, error: errors.stepBudgetExceeded(maxToolCalls).toJSON() });

/** The per-process step budget: a run of this tool set, counted in memory. */
export function memoryStepBudget(budget: ToolCallBudget): CallMiddleware {
  return {
    name: 'step-budget',
    wrapCall: async (call, next) => (call.options.runId !== undefined && !budget.take(call.options.runId) ? exceeded(budget.maxToolCalls) : next()),
  };
}

/**
 * The step budget in the instance's shared store (`ormai.budgets`): every instance and tool set that
 * sees the run's request or session id counts into one budget, keyed by an HMAC of tenant, user and
 * run id. A store that cannot answer refuses writes (`budget_unavailable`); reads follow the policy's
 * `onStoreFailure` ('continue' runs them and reports to `onError`).
 */
export function sharedStepBudget(ormai: OrmAI, maxToolCalls: number, onError: ((error: unknown, info: { tool: string }) => void) | undefined): CallMiddleware {
  const writes = new Set<string>(ormai.tools().filter((spec) => spec.access === 'write').map((spec) => spec.name));
  return {
    name: 'step-budget',
    async wrapCall(call, next) {
      const context = call.context;
      const runId = context?.requestId ? ['request', context.requestId] : context?.sessionId ? ['session', context.sessionId] : null;
      if (!context || !runId) return next();
      const parts = ['step-budget', context.tenantId ?? null, context.userId, ...runId];
      let allowed: boolean;
      try {
        allowed = (await ormai.budgets.take([{ parts, limit: maxToolCalls, windowMs: SHARED_RUN_WINDOW_MS }])).allowed;
      } catch (error) {
        if (writes.has(call.action) || ormai.budgets.onStoreFailure === 'fail_closed') return { ok: false, error: errors.budgetUnavailable().toJSON() };
        onError?.(error, { tool: call.action });
        return next();
      }
      return allowed ? next() : exceeded(maxToolCalls);
    },
  };
}
