import type { OrmAIAdapter } from './adapter.js';
import type { RunContext, TenantRunContext } from './context.js';
import type { Policy, TenantFreePolicy } from './policy.js';
import type { ApprovalRecord, ApprovalStatus, ApprovalStore, BudgetDecision, BudgetPartsCheck, BudgetPartsEntry, BudgetStore, WriteListener } from './stores.js';
import type { ToolInput, ToolName, ToolOutput, ToolResult, ToolSpec } from './tools.js';
import type { AuditHealth, AuditOptions, AuditRecord, ChainVerification, SubjectQuery } from './audit.js';
import type { CallMiddleware, CallOptions } from './pipeline.js';
import type { HealthOptions, HealthReport } from './health.js';
import type { DomainTool, FieldSanitizers } from './domain-tools.js';

export interface CreateOrmAIOptions<P extends Policy = Policy> {
  adapter: OrmAIAdapter;
  policy: P;
  /**
   * Signs pagination cursors and preview ids, and keys the `hash` mask. Without it a random per-process
   * key is used: cursors and previews stop working after a restart, hashed values change between processes.
   */
  secret?: string | undefined;
  /** Receives unexpected errors (the agent only ever sees `internal_error`). Wire it to your logger. */
  onError?: ((error: unknown, info: { tool: string }) => void) | undefined;
  /** Where gated writes wait for a decision. Default: in memory (lost on restart); use sequelizeApprovalStore. */
  approvals?: ApprovalStore | undefined;
  /**
   * Counts writes per minute, the policy's quotas and the AI SDK's step budgets. Default: in memory,
   * exact within one process. Keys reach it as HMACs keyed from `secret` (no tenant, user or session id
   * in clear), so instances sharing a store must share the secret: giving a store without `secret` throws.
   */
  budgetStore?: BudgetStore | undefined;
  /** Milliseconds since the epoch; inject one to test SLAs and rate windows. */
  clock?: (() => number) | undefined;
  /** Called inside every write's transaction with what changed: audit records written here commit with the write. */
  onWrite?: WriteListener | undefined;
  /** The audit trail: one record per call, whatever its outcome, in `audit.sink`. Off when absent. */
  audit?: AuditOptions | undefined;
  /**
   * Runs around every call, inside the audit (which records whatever they answer): spans, logs, quotas.
   * Outermost first.
   */
  middleware?: CallMiddleware[] | undefined;
  /** Domain tools (`defineTool`), offered next to the generic tools. Names must be unique: a clash throws here. */
  tools?: DomainTool[] | undefined;
  /** Per-field sanitizers for fields the policy marks `sanitize`, run before core's scrub. */
  sanitizers?: FieldSanitizers | undefined;
}

/**
 * The run context a policy needs: `TenantRunContext` (with `tenantId`) unless the policy's type shows it
 * is tenant-free (`TenantFreePolicy`, which `definePolicy` returns for `tenantScope: false` specs with no
 * model overriding it). A plain `Policy`, e.g. one parsed from JSON, needs `tenantId`: fail closed.
 */
export type RunContextFor<P extends Policy> = 0 extends 1 & P ? TenantRunContext : [P] extends [TenantFreePolicy] ? RunContext : TenantRunContext;

export interface ApprovalsApi {
  get(id: string): Promise<ApprovalRecord | null>;
  list(filter?: { status?: ApprovalStatus; tenantId?: string }): Promise<ApprovalRecord[]>;
  /**
   * Records the approver on every rule of the request their roles cover; once every rule is approved,
   * runs the stored write once, as its requester. Approving an executed request returns its result again.
   */
  approve(id: string, approver: RunContext, note?: string): Promise<ToolResult>;
  deny(id: string, approver: RunContext, why: string): Promise<ToolResult>;
  /** Expires every pending or approved request past its SLA. */
  sweep(): Promise<{ expired: number }>;
}

/**
 * The instance's budget store, keyed by parts: each key is an HMAC of the parts under a key derived
 * from the instance secret, so instances sharing the store and the secret share the budget.
 */
export interface BudgetsApi {
  /** True when the store is not the in-process `MemoryBudgetStore` (Redis, Upstash...): budgets hold across the instances sharing it. */
  readonly shared: boolean;
  /** What reads should do when the store cannot answer: the policy's `quotas.onStoreFailure`, else closed in PROD. */
  readonly onStoreFailure: 'fail_closed' | 'continue';
  /** `BudgetStore.take`, with keys hashed from their parts. Rejects when the store cannot answer. */
  take(checks: readonly BudgetPartsCheck[]): Promise<BudgetDecision>;
  /** `BudgetStore.add`, with keys hashed from their parts. */
  add(entries: readonly BudgetPartsEntry[]): Promise<void>;
}

/** A policy bound to an adapter: the tools, the pipeline every call goes through, and the approval queue. */
export interface OrmAI<Context extends RunContext = TenantRunContext> {
  readonly policy: Policy;
  readonly policyHash: string;
  readonly adapter: OrmAIAdapter;
  /**
   * The tools this instance offers, with their zod input schemas: each generic tool some model of the
   * policy allows, then the domain tools.
   */
  tools(): ToolSpec[];
  /**
   * Runs one tool call through the whole pipeline. Typed by tool: `input` is that tool's input and the
   * result's `data` its output. Never throws for policy, input or database problems. The input is
   * validated at runtime all the same (the agent's JSON is untrusted whatever its static type).
   */
  call: <N extends ToolName>(tool: N, input: ToolInput<N>, context: Context, options?: CallOptions) => Promise<ToolResult<ToolOutput<N>>>;
  /**
   * The same pipeline, untyped, for dynamic dispatch (a tool name chosen by a model, a generic adapter):
   * an unknown name answers `unknown_tool`, a context without `tenantId` under a tenant-scoped policy
   * answers `invalid_context`.
   */
  callTool: (tool: string, input: unknown, context: RunContext, options?: CallOptions) => Promise<ToolResult>;
  /** The approval queue: decide on gated writes (approver identity is checked and recorded). */
  approvals: ApprovalsApi;
  /**
   * The same instance with more middleware, run inside the existing ones (and inside the audit). The AI
   * SDK adapter adds its per-run step budget this way, so its refusals are audited like any other.
   */
  withMiddleware(...middleware: CallMiddleware[]): OrmAI<Context>;
  /** The same instance with more domain tools (`defineTool`). A name already offered throws. */
  withTools(...tools: DomainTool[]): OrmAI<Context>;
  /** The audit trail (a no-op when `audit` was not configured). */
  audit: AuditApi;
  /** The budget store behind rate limits and quotas, for adapters that count on their own (the AI SDK step budget). */
  budgets: BudgetsApi;
  /**
   * Version, policy hash, audit sink, budget store and database reachability, each check against a
   * timeout. Never rejects. Serve it with `healthHandler(ormai)`.
   */
  health(options?: HealthOptions): Promise<HealthReport>;
  /** Writes every queued audit record and closes the sink: call it on shutdown, then close the adapter (`adapter.close()`). */
  close(): Promise<void>;
}

export interface AuditApi {
  readonly enabled: boolean;
  /** Writes every queued record; rejects if the sink cannot take them (they stay queued). */
  flush(): Promise<void>;
  health(): AuditHealth | null;
  /**
   * Every recorded operation that returned or changed rows of this subject (GDPR access request), oldest
   * first. Under a tenant-scoped policy the query names the subject's `tenantId` (else it rejects).
   */
  subjectAccessReport(subject: SubjectQuery): Promise<AuditRecord[]>;
  /** Removes the subject's personal data from stored payloads; the chain still verifies. Returns the records erased. */
  eraseSubject(subject: SubjectQuery): Promise<number>;
  /** Verifies the sink's hash chain, when the sink can. */
  verify(): Promise<ChainVerification>;
}
