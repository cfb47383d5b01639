import { runContextSchema } from '../context.js';
import { errors, type OrmAIError } from '../errors.js';
import type { BoundPolicy } from '../spec/bound-policy.js';
import type { BudgetsApi } from '../spec/ormai.js';
import type { CallMiddleware, PipelineCall } from '../spec/pipeline.js';
import type { QuotaName, Quotas } from '../spec/policy.js';
import type { BudgetPartsCheck } from '../spec/stores.js';
import type { ToolResult } from '../spec/tools.js';
import { readRowCap } from './read-row-cap.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WINDOW_MS: Record<QuotaName, number> = { toolCallsPerMinute: MINUTE, rowsPerHour: HOUR, rowsPerDay: DAY, writesPerDay: DAY };

/**
 * Approval actions people of the tenant take. Expiry is the system's doing (refusing to record it
 * would not stop it), and an execution is the effect of an approval already counted.
 */
const COUNTED_APPROVAL_ACTIONS = new Set(['approvals.approve', 'approvals.deny']);

export interface QuotaMiddlewareOptions {
  quotas: Quotas;
  budgets: BudgetsApi;
  /** Tells how many rows a read may return (see `readRowCap`). */
  bound: BoundPolicy;
  /** Quotas are per tenant; under a tenant-free policy, per user. */
  tenantScoped: boolean;
  accessOf(action: string): 'read' | 'write' | undefined;
  report(error: unknown, action: string): void;
}

type QuotaCheck = BudgetPartsCheck & { quota: QuotaName; cost: number };

/** Whom the call's quotas belong to; null for a context the handler will refuse anyway. */
function subjectOf(context: PipelineCall['context'], tenantScoped: boolean): Array<string | null> | null {
  const parsed = runContextSchema.safeParse(context);
  if (!parsed.success) return null;
  if (!tenantScoped) return ['user', parsed.data.userId];
  return parsed.data.tenantId ? ['tenant', parsed.data.tenantId] : null;
}

const refusal = (error: OrmAIError): ToolResult => ({ ok: false, error: error.toJSON() });

/**
 * The policy's quotas, in one atomic `take` per call: tool calls per minute (every call), writes per
 * day (write tools), and rows per hour and per day (reads), which count the rows a read may return
 * (see `readRowCap`), reserved before it runs and never corrected after: concurrent reads on any
 * number of instances cannot hand out more rows than the quota. Over a quota: `quota_exceeded`. A
 * store that cannot answer refuses writes with `budget_unavailable`; reads follow `onStoreFailure`.
 */
export function quotaMiddleware(options: QuotaMiddlewareOptions): CallMiddleware {
  const { quotas, budgets, bound, tenantScoped, accessOf, report } = options;
  return {
    name: 'quotas',
    async wrapCall(call, next) {
      const subject = subjectOf(call.context, tenantScoped);
      const approval = call.action.startsWith('approvals.');
      if (!subject || (approval && !COUNTED_APPROVAL_ACTIONS.has(call.action))) return next();
      const write = accessOf(call.action) === 'write';
      const rows = readRowCap(bound, call.action, call.input);
      // The longest windows first: a refusal names the first refusing quota, usually the one that frees up last.
      const wanted: Array<[QuotaName, number, boolean]> = [
        ['writesPerDay', 1, write],
        ['rowsPerDay', rows, rows > 0],
        ['rowsPerHour', rows, rows > 0],
        ['toolCallsPerMinute', 1, true],
      ];
      const checks: QuotaCheck[] = wanted.flatMap(([quota, cost, applies]) => {
        const limit = quotas[quota];
        return applies && limit !== undefined ? [{ quota, parts: ['quota', quota, ...subject], limit, windowMs: WINDOW_MS[quota], cost }] : [];
      });
      if (checks.length === 0) return next();
      // Approvals can run a write: they fail closed like writes.
      const failClosed = write || approval || budgets.onStoreFailure === 'fail_closed';
      const unavailable = (error: unknown): ToolResult | null => {
        if (failClosed) return refusal(errors.budgetUnavailable());
        report(error, call.action);
        return null;
      };

      let decision;
      try {
        decision = await budgets.take(checks.map(({ quota, ...check }) => check));
      } catch (error) {
        return unavailable(error) ?? next(); // 'continue': the read runs unmetered
      }
      if (!decision.allowed) {
        const refused = checks[decision.refusedBy ?? 0]!;
        return refusal(errors.quotaExceeded(refused.quota, refused.limit, decision.retryAfterMs));
      }
      return next();
    },
  };
}
