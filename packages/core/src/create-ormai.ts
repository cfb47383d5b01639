import { ExecutionLimitError } from './adapter.js';
import type { OrmAIAdapter } from './spec/adapter.js';
import { runContextSchema } from './context.js';
import type { RunContext } from './spec/context.js';
import { keyFromSecret, randomKey } from './crypto.js';
import { errors, OrmAIError } from './errors.js';
import { bindPolicy } from './policy/bind-policy.js';
import type { BoundPolicy } from './spec/bound-policy.js';
import { policyHash } from './policy/define-policy.js';
import type { Policy } from './spec/policy.js';
import type { CreateOrmAIOptions, OrmAI, RunContextFor } from './spec/ormai.js';
import type { ToolInput, ToolName, ToolResult } from './spec/tools.js';
import { readTools, type ToolDefinition } from './tools/read-tools.js';
import type { ToolEnv } from './tools/tool-env.js';
import { newApprovalId, runApprovedWrite, writeTools } from './tools/write-tools.js';
import { MemoryApprovalStore } from './approvals/approval-store.js';
import { onExpiry } from './approvals/on-expiry.js';
import type { ApprovalRecord } from './spec/stores.js';
import { createApprovalsApi } from './approvals/approvals.js';
import { MemoryBudgetStore } from './budget/budget-store.js';
import { keyedBudgetStore } from './budget/keyed-budget-store.js';
import { createBudgetsApi } from './budget/budgets-api.js';
import { quotaMiddleware } from './budget/quota-middleware.js';
import { BudgetConfigError } from './budget/budget-config-error.js';
import { isAlreadyExecuted } from './write/execute-write.js';
import { checkInputShape, MAX_INPUT_DEPTH, type InputShape } from './tools/input-depth.js';
import { LIMITS } from './tools/input-schemas.js';
import { errorWording } from './error-wording.js';
import type { CallMiddleware, CallOptions, PipelineCall } from './spec/pipeline.js';
import { runPipeline, type CallHandler } from './pipeline/run-pipeline.js';
import { auditApi, createAudit, newCallId, SYSTEM_USER } from './audit/create-audit.js';
import { ORMAI_VERSION } from './version.js';
import { checkHealth } from './ops/health.js';

const MAX_INPUT_BYTES = 64 * 1024;

function parseContext(bound: BoundPolicy, context: unknown): RunContext {
  const parsed = runContextSchema.safeParse(context);
  if (!parsed.success || (bound.anyTenantScoped && !parsed.data.tenantId)) {
    throw errors.invalidContext();
  }
  return parsed.data;
}

function parseInput<N extends ToolName>(tool: ToolDefinition<N>, input: unknown): ToolInput<N> {
  // Shape first, without recursion: JSON.stringify and zod overflow the stack on deeply nested input.
  let shape: InputShape;
  let size = 0;
  try {
    shape = checkInputShape(input, { maxDepth: MAX_INPUT_DEPTH, maxValues: MAX_INPUT_BYTES });
    if (shape === 'ok') size = JSON.stringify(input ?? null).length;
  } catch {
    throw errors.invalidInput(errorWording.invalidInput.notJson());
  }
  if (shape === 'too_deep') {
    throw errors.invalidInput(errorWording.invalidInput.tooDeep(MAX_INPUT_DEPTH, LIMITS.maxFilterDepth), { maxDepth: MAX_INPUT_DEPTH });
  }
  if (shape === 'too_many_values' || size > MAX_INPUT_BYTES) throw errors.invalidInput(errorWording.invalidInput.tooLarge());
  const parsed = tool.inputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`);
  throw errors.invalidInput(errorWording.invalidInput.schema(tool.name, issues, tool.description), { issues });
}

/** Limits hit inside the database are phrased here, where the policy knows which fields the agent may use. */
function fromExecutionLimit(error: ExecutionLimitError, bound: BoundPolicy): OrmAIError {
  if (error.kind === 'statement_timeout') return errors.statementTimeout(error.model, error.limit);
  return errors.scanBudgetExceeded({
    model: error.model,
    maxScanRows: error.limit,
    indexedFields: bound.models[error.model]?.indexedFilterable ?? [],
  });
}

function toEnvelope(error: unknown, bound: BoundPolicy, report: () => void): ToolResult {
  if (OrmAIError.isInstance(error)) return { ok: false, error: error.toJSON() };
  if (ExecutionLimitError.isInstance(error)) return { ok: false, error: fromExecutionLimit(error, bound).toJSON() };
  report();
  return { ok: false, error: errors.internal().toJSON() };
}

/**
 * Binds a policy to an adapter. `call` is typed by tool; its context type follows the policy's type
 * (`RunContextFor`): `tenantId` is required unless the policy is known to be tenant-free. Every route
 * (`call`, the approvals API, an adapter's own refusals via `withMiddleware`) runs one pipeline.
 */
export function createOrmAI<P extends Policy>(options: CreateOrmAIOptions<P>): OrmAI<RunContextFor<P>> {
  const { adapter, policy, onError } = options;
  const bound = bindPolicy(policy, adapter.introspect());
  const tools = new Map<string, ToolDefinition>([...readTools(bound), ...writeTools(bound)].map((t) => [t.name, t]));
  const key = (purpose: string) => (options.secret ? keyFromSecret(options.secret, purpose) : randomKey());
  const keys = { cursorKey: key('cursor'), hashKey: key('mask-hash'), previewKey: key('preview') };
  const clock = options.clock ?? Date.now;
  if (options.budgetStore && !options.secret) {
    // Keys are HMACs under a key from the secret: a random per-process key would give each instance budgets of its own.
    throw new BudgetConfigError('createOrmAI: a budgetStore needs a secret, the same on every instance sharing the store (budget keys are keyed hashes of it)');
  }
  const budgetStore = keyedBudgetStore(options.budgetStore ?? new MemoryBudgetStore(clock), key('budget-keys'));
  const budgets = createBudgetsApi(budgetStore, { shared: options.budgetStore !== undefined && !(options.budgetStore instanceof MemoryBudgetStore), policy });
  const hash = policyHash(policy);
  const report = (error: unknown, tool: string) => onError?.(error, { tool });
  const audit = options.audit
    ? createAudit(options.audit, { bound, policyHash: hash, version: ORMAI_VERSION, inputKey: key('audit-input'), hashKey: keys.hashKey, clock, onError: (e) => report(e, 'audit') })
    : null;
  const quotas = policy.quotas
    ? quotaMiddleware({ quotas: policy.quotas, budgets, bound, tenantScoped: bound.anyTenantScoped, accessOf: (action) => tools.get(action)?.access, report })
    : null;
  // Audit outermost (it records quota refusals too), then quotas, then the host's middleware.
  const outer: CallMiddleware[] = [...(audit ? [audit.trail.middleware] : []), ...(quotas ? [quotas] : []), ...(options.middleware ?? [])];

  const envFor = (ctx: RunContext, call: PipelineCall): ToolEnv => ({
    bound,
    adapter,
    context: ctx,
    tenantId: ctx.tenantId ?? null,
    ...keys,
    clock,
    budgetStore,
    approvalStore,
    ...(options.onWrite ? { onWrite: options.onWrite } : {}),
    facts: call.facts,
    ...(audit ? { recordWrite: (transaction: unknown) => audit.trail.recordWrite(call, transaction) } : {}),
  });

  /** One call through the middleware; whatever throws past them is an internal error. */
  async function run(middleware: readonly CallMiddleware[], action: string, input: unknown, context: RunContext | null, callOptions: CallOptions, handler: CallHandler): Promise<ToolResult> {
    const call: PipelineCall = { id: newCallId(), action, input, context, options: callOptions, startedAt: clock(), facts: {} };
    try {
      return await runPipeline(middleware, call, handler);
    } catch (error) {
      report(error, action);
      return { ok: false, error: errors.internal().toJSON() };
    }
  }

  const toolHandler = (toolName: string) => async (call: PipelineCall): Promise<ToolResult> => {
    try {
      const tool = tools.get(toolName);
      if (!tool) throw errors.unknownTool(toolName, [...tools.keys()]);
      const ctx = parseContext(bound, call.context);
      const args = parseInput(tool, call.input);
      return { ok: true, data: await tool.run(args, envFor(ctx, call)) };
    } catch (error) {
      return toEnvelope(error, bound, () => report(error, toolName));
    }
  };

  const executeApproved = (record: ApprovalRecord, executionId: string): Promise<ToolResult> => {
    const requester: RunContext = { userId: record.requestedBy, roles: record.requesterRoles, ...(record.tenantId ? { tenantId: record.tenantId } : {}) };
    return run(outer, 'approvals.execute', { approvalId: record.id }, requester, {}, async (call) => {
      try {
        return { ok: true, data: await runApprovedWrite(record, executionId, envFor(requester, call)) };
      } catch (error) {
        if (isAlreadyExecuted(error)) {
          // Another approver ran it first, or it was closed meanwhile: the caller reads the record's state.
          return { ok: false, error: errors.approvalNotPending('running').toJSON() };
        }
        return toEnvelope(error, bound, () => report(error, record.tool));
      }
    });
  };

  // Expiry happens wherever a record is read past its SLA (sweep, get, approve, db_approval_status): the store sees them all.
  const approvalStore = onExpiry(options.approvals ?? new MemoryApprovalStore(), (record) => {
    const system: RunContext = { userId: SYSTEM_USER, ...(record.tenantId ? { tenantId: record.tenantId } : {}) };
    return run(outer, 'approvals.expire', { approvalId: record.id }, system, {}, async (call) => {
      call.facts.approvalId = record.id;
      call.facts.model = record.model;
      if (record.subjects) call.facts.subjects = record.subjects;
      return { ok: true, data: null };
    }).then(() => undefined);
  });
  const approvals = createApprovalsApi({
    store: approvalStore,
    clock,
    newId: newApprovalId,
    execute: executeApproved,
    onError: (error: unknown) => report(error, 'approvals'),
  });
  /** Approve and deny are audited calls of the approver; their effects (an execution) are calls of their own. */
  const decision =
    (action: string, decide: (id: string, approver: RunContext, text?: string) => Promise<ToolResult>) =>
    (id: string, approver: RunContext, text?: string) =>
      run(outer, action, { approvalId: id, ...(text !== undefined ? { note: text } : {}) }, approver, {}, async (call) => {
        const result = await decide(id, approver, text);
        // The decision's record names the request and whose data it is about, so erasure finds the approver's note too.
        const request = typeof id === 'string' && id.length <= 100 ? await approvalStore.get(id).catch(() => null) : null;
        if (request && request.tenantId === (approver.tenantId ?? null)) {
          call.facts.approvalId = request.id;
          call.facts.model = request.model;
          if (request.subjects) call.facts.subjects = request.subjects;
        }
        return result;
      });

  function instance(middleware: readonly CallMiddleware[]): OrmAI<RunContextFor<P>> {
    const auditView = auditApi(audit, bound.anyTenantScoped);
    const auditFailureMode = options.audit?.onFailure ?? policy.audit?.onFailure ?? 'fail_closed';
    const callTool = (toolName: string, input: unknown, context: RunContext, callOptions: CallOptions = {}) =>
      run(middleware, toolName, input, context, callOptions, toolHandler(toolName));
    return {
      policy,
      policyHash: hash,
      adapter,
      tools: () => [...tools.values()].map(({ name, description, inputSchema, access }) => ({ name, description, inputSchema, access })),
      // The typed view of the same function: each tool's `run` is checked against its ToolMap entry.
      call: callTool as OrmAI<RunContextFor<P>>['call'],
      callTool,
      approvals: {
        ...approvals,
        approve: decision('approvals.approve', (id, approver, note) => approvals.approve(id, approver, note)),
        deny: decision('approvals.deny', (id, approver, why) => approvals.deny(id, approver, why ?? '')),
      },
      withMiddleware: (...more) => instance([...middleware, ...more]),
      audit: auditView,
      budgets,
      health: (healthOptions) => checkHealth({ version: ORMAI_VERSION, policyHash: hash, audit: auditView, auditFailureMode, budgets, adapter }, healthOptions),
      close: async () => {
        await audit?.queue.close();
      },
    };
  }
  return instance(outer);
}
