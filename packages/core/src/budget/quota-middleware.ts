import { runContextSchema } from '../context.js';
import { errors, type OrmAIError } from '../errors.js';
import type { BudgetsApi } from '../spec/ormai.js';
import type { CallMiddleware, PipelineCall } from '../spec/pipeline.js';
import type { QuotaName, Quotas } from '../spec/policy.js';
import type { BudgetPartsCheck } from '../spec/stores.js';
import type { ToolResult } from '../spec/tools.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WINDOW_MS: Record<QuotaName, number> = { toolCallsPerMinute: MINUTE, rowsPerHour: HOUR, rowsPerDay: DAY, writesPerDay: DAY };

/** Tools whose rows count against the row quotas (they report `facts.rowsReturned`); aggregates return no rows. */
const ROW_TOOLS = new Set(['db_query', 'db_get']);
/**
 * Approval actions people of the tenant take. Expiry is the system's doing (refusing to record it
 * would not stop it), and an execution is the effect of an approval already counted.
 */
const COUNTED_APPROVAL_ACTIONS = new Set(['approvals.approve', 'approvals.deny']);

export interface QuotaMiddlewareOptions {
  quotas: Quotas;
  budgets: BudgetsApi;
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
 * The policy's quotas, in one `take` per call: tool calls per minute (every call), writes per day
 * (write tools) and probes of the row windows (reads that return rows), whose rows are added once the
 * read has answered. Over a quota: `quota_exceeded`. A store that cannot answer refuses writes with
 * `budget_unavailable`; reads follow `onStoreFailure`.
 */
export function quotaMiddleware(options: QuotaMiddlewareOptions): CallMiddleware {
  const { quotas, budgets, tenantScoped, accessOf, report } = options;
  return {
    name: 'quotas',
    async wrapCall(call, next) {
      const subject = subjectOf(call.context, tenantScoped);
      const approval = call.action.startsWith('approvals.');
      if (!subject || (approval && !COUNTED_APPROVAL_ACTIONS.has(call.action))) return next();
      const write = accessOf(call.action) === 'write';
      const readsRows = ROW_TOOLS.has(call.action);
      // The longest windows first: a refusal names the first refusing quota, usually the one that frees up last.
      const wanted: Array<[QuotaName, number, boolean]> = [
        ['writesPerDay', 1, write],
        ['rowsPerDay', 0, readsRows],
        ['rowsPerHour', 0, readsRows],
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
      const result = await next();
      const rows = call.facts.rowsReturned ?? 0;
      const rowWindows = checks.filter((check) => check.cost === 0);
      if (!result.ok || rows === 0 || rowWindows.length === 0) return result;
      try {
        await budgets.add(rowWindows.map(({ parts, windowMs }) => ({ parts, windowMs, cost: rows })));
        return result;
      } catch (error) {
        // Rows that cannot be counted are not handed out when the policy fails closed.
        return unavailable(error) ?? result;
      }
    },
  };
}
