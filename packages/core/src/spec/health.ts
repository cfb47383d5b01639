/** What `ormai.health()` reports: enough for a load balancer or an uptime check, no secrets and no tenant data. */

/** `degraded`: calls are served but something is failing (an audit sink in `continue` mode, a store reads ignore). */
export type HealthStatus = 'ok' | 'degraded' | 'down';

/** Why a check is down. No driver message: it may carry a host name or a connection string. */
export type HealthProblem = 'timeout' | 'failed';

export interface AuditHealthCheck {
  /** `off`: no audit trail configured. `down`: the sink is failing (in `fail_closed`, calls are refused meanwhile). */
  status: 'ok' | 'down' | 'off';
  /** The sink's name, null when off. */
  sink: string | null;
  /** Records waiting for the sink. */
  queued: number;
  /** Records lost since start (see `AuditHealth.dropped`). */
  dropped: number;
}

export interface BudgetStoreHealthCheck {
  status: 'ok' | 'down';
  /** False for the in-process store. */
  shared: boolean;
  /** Round trip of a probe that consumes nothing; null when it failed. */
  latencyMs: number | null;
  problem?: HealthProblem;
}

export interface DatabaseHealthCheck {
  /** `unchecked`: the adapter cannot be pinged (it has no `ping`). */
  status: 'ok' | 'down' | 'unchecked';
  latencyMs: number | null;
  problem?: HealthProblem;
}

export interface HealthReport {
  status: HealthStatus;
  /** The `@ormai/core` version. */
  version: string;
  policyHash: string;
  audit: AuditHealthCheck;
  budgetStore: BudgetStoreHealthCheck;
  database: DatabaseHealthCheck;
}

export interface HealthOptions {
  /** How long each check may take before it counts as down. Default 2000 ms. */
  timeoutMs?: number | undefined;
}
