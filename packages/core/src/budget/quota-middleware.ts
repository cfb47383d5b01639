import { runContextSchema } from '../context.js';
import { errors, type OrmAIError } from '../errors.js';
import type { BoundPolicy } from '../spec/bound-policy.js';
import type { BudgetsApi } from '../spec/ormai.js';
import type { CallMiddleware, PipelineCall } from '../spec/pipeline.js';
import type { QuotaName, Quotas } from '../spec/policy.js';
import type { BudgetPartsCheck } from '../spec/stores.js';
import type { ToolResult } from '../spec/tools.js';
import { readRowCap } from './read-row-cap.js';
import { GENERIC_TOOL_NAMES } from '../policy/policy-schema.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WINDOW_MS: Record<QuotaName, number> = { toolCallsPerMinute: MINUTE, rowsPerHour: HOUR, rowsPerDay: DAY, writesPerDay: DAY };

/**
 * Approval actions people of the tenant take. Expiry is the system's doing (refusing to record it
 * would not stop it), and an execution is the effect of an approval already counted.
 */
const COUNTED_APPROVAL_ACTIONS = new Set(['approvals.approve', 'approvals.deny']);
const GENERIC_TOOLS: ReadonlySet<string> = new Set(GENERIC_TOOL_NAMES);

export interface QuotaMiddlewareOptions {
  quotas: Quotas;
  budgets: BudgetsApi;
  /** Tells how many rows a read may return (see `readRowCap`). */
  bound: BoundPolicy;
  /** Quotas are per tenant; under a tenant-free policy, per user. */
  tenantScoped: boolean;
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

export interface QuotaGate {
  /** Around every call: tool calls, writes of the generic tools, and the rows of generic reads. */
  middleware: CallMiddleware;
  /** Around each write a domain tool makes through its data handle: one write each, whatever its outcome. */
  handleWrites: CallMiddleware;
  /** For a domain tool's reads: reserves the rows a read may return; throws `quota_exceeded` (or `budget_unavailable`). */
  reserveRows(context: PipelineCall['context'], action: string, input: unknown): Promise<void>;
}

/**
 * The policy's quotas, in one atomic `take` per call: tool calls per minute (every call), writes per
 * day (each generic write tool call, each write a domain tool makes), and rows per hour and per day
 * (reads), which count the rows a read may return (see `readRowCap`), reserved before it runs and
 * never corrected after: concurrent reads on any number of instances cannot hand out more rows than
 * the quota. A domain tool's reads reserve their rows the same way, one read at a time. Over a quota:
 * `quota_exceeded`. A store that cannot answer refuses writes with `budget_unavailable`; reads follow
 * `onStoreFailure`.
 */
export function createQuotas(options: QuotaMiddlewareOptions): QuotaGate {
  const { quotas, budgets, bound, tenantScoped, report } = options;
  /** The refusal, or null when the checks pass (or the store failed and reads continue unmetered). */
  async function take(subject: Array<string | null>, wanted: Array<[QuotaName, number, boolean]>, failClosed: boolean, action: string): Promise<OrmAIError | null> {
    const checks: QuotaCheck[] = wanted.flatMap(([quota, cost, applies]) => {
      const limit = quotas[quota];
      return applies && limit !== undefined ? [{ quota, parts: ['quota', quota, ...subject], limit, windowMs: WINDOW_MS[quota], cost }] : [];
    });
    if (checks.length === 0) return null;
    let decision;
    try {
      decision = await budgets.take(checks.map(({ quota, ...check }) => check));
    } catch (error) {
      if (failClosed || budgets.onStoreFailure === 'fail_closed') return errors.budgetUnavailable();
      report(error, action); // 'continue': the read runs unmetered
      return null;
    }
    if (decision.allowed) return null;
    const refused = checks[decision.refusedBy ?? 0]!;
    return errors.quotaExceeded(refused.quota, refused.limit, decision.retryAfterMs);
  }
  // The longest windows first: a refusal names the first refusing quota, usually the one that frees up last.
  const rowQuotas = (rows: number): Array<[QuotaName, number, boolean]> => [
    ['rowsPerDay', rows, rows > 0],
    ['rowsPerHour', rows, rows > 0],
  ];
  return {
    middleware: {
      name: 'quotas',
      async wrapCall(call, next) {
        const subject = subjectOf(call.context, tenantScoped);
        const approval = call.action.startsWith('approvals.');
        if (!subject || (approval && !COUNTED_APPROVAL_ACTIONS.has(call.action))) return next();
        // A domain tool's writes are counted one by one as its code makes them (handleWrites), not per call.
        const write = call.access === 'write' && GENERIC_TOOLS.has(call.action);
        const wanted: Array<[QuotaName, number, boolean]> = [['writesPerDay', 1, write], ...rowQuotas(readRowCap(bound, call.action, call.input)), ['toolCallsPerMinute', 1, true]];
        // Approvals can run a write: they fail closed like writes.
        const refused = await take(subject, wanted, write || approval, call.action);
        return refused ? refusal(refused) : next();
      },
    },
    handleWrites: {
      name: 'quotas',
      async wrapCall(call, next) {
        const subject = subjectOf(call.context, tenantScoped);
        const refused = subject && (await take(subject, [['writesPerDay', 1, true]], true, call.action));
        return refused ? refusal(refused) : next();
      },
    },
    async reserveRows(context, action, input) {
      const subject = subjectOf(context, tenantScoped);
      const refused = subject && (await take(subject, rowQuotas(readRowCap(bound, action, input)), false, action));
      if (refused) throw refused;
    },
  };
}
