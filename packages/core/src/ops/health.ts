import type { OrmAIAdapter } from '../spec/adapter.js';
import type { AuditFailureMode } from '../spec/audit.js';
import type { AuditHealthCheck, BudgetStoreHealthCheck, DatabaseHealthCheck, HealthOptions, HealthReport, HealthStatus } from '../spec/health.js';
import type { AuditApi, BudgetsApi } from '../spec/ormai.js';
import { timedCheck, type CheckOutcome } from './timed-check.js';

const DEFAULT_TIMEOUT_MS = 2_000;

/** A key no call uses; a cost-0 take asks the store a question and records nothing. */
const PROBE = { parts: ['ormai:health'], limit: 1, windowMs: 1_000, cost: 0 } as const;

export interface HealthDeps {
  version: string;
  policyHash: string;
  audit: AuditApi;
  /** What the audit does while its sink fails: in `fail_closed` every call is refused, so the instance is down. */
  auditFailureMode: AuditFailureMode;
  budgets: BudgetsApi;
  adapter: OrmAIAdapter;
}

function auditCheck(audit: AuditApi): AuditHealthCheck {
  const health = audit.health();
  if (!health) return { status: 'off', sink: null, queued: 0, dropped: 0 };
  return { status: health.healthy ? 'ok' : 'down', sink: health.sink, queued: health.queued, dropped: health.dropped };
}

const checked = (outcome: CheckOutcome) => (outcome.ok ? { status: 'ok' as const, latencyMs: outcome.latencyMs } : { status: 'down' as const, latencyMs: null, problem: outcome.problem });

/** Down when calls cannot be answered at all; degraded when they are answered but something is failing. */
function overall(deps: HealthDeps, audit: AuditHealthCheck, budgetStore: BudgetStoreHealthCheck, database: DatabaseHealthCheck): HealthStatus {
  const auditRefuses = audit.status === 'down' && deps.auditFailureMode === 'fail_closed';
  const budgetsRefuse = budgetStore.status === 'down' && deps.budgets.onStoreFailure === 'fail_closed';
  if (database.status === 'down' || auditRefuses || budgetsRefuse) return 'down';
  if (audit.status === 'down' || budgetStore.status === 'down') return 'degraded';
  return 'ok';
}

/** `ormai.health()`: every check runs at once, each against the timeout. Never rejects. */
export async function checkHealth(deps: HealthDeps, options: HealthOptions = {}): Promise<HealthReport> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const ping = deps.adapter.ping?.bind(deps.adapter);
  const [budgetOutcome, databaseOutcome] = await Promise.all([
    timedCheck(() => deps.budgets.take([PROBE]), timeoutMs),
    ping ? timedCheck(ping, timeoutMs) : null,
  ]);
  const audit = auditCheck(deps.audit);
  const budgetStore: BudgetStoreHealthCheck = { ...checked(budgetOutcome), shared: deps.budgets.shared };
  const database: DatabaseHealthCheck = databaseOutcome ? checked(databaseOutcome) : { status: 'unchecked', latencyMs: null };
  return { status: overall(deps, audit, budgetStore, database), version: deps.version, policyHash: deps.policyHash, audit, budgetStore, database };
}
