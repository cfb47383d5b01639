import type { OrmAIAdapter } from './spec/adapter.js';
import { runContextSchema } from './context.js';
import type { RunContext } from './spec/context.js';
import { keyFromSecret, randomKey } from './crypto.js';
import { errors } from './errors.js';
import { bindPolicy } from './policy/bind-policy.js';
import type { BoundPolicy } from './spec/bound-policy.js';
import { policyHash } from './policy/define-policy.js';
import type { Policy } from './spec/policy.js';
import type { CreateOrmAIOptions, OrmAI, RunContextFor } from './spec/ormai.js';
import type { ToolResult } from './spec/tools.js';
import type { ToolEnv } from './tools/tool-env.js';
import { newApprovalId, runApprovedWrite } from './tools/write-tools.js';
import { MemoryApprovalStore } from './approvals/approval-store.js';
import { onExpiry } from './approvals/on-expiry.js';
import type { ApprovalRecord } from './spec/stores.js';
import { createApprovalsApi } from './approvals/approvals.js';
import { MemoryBudgetStore } from './budget/budget-store.js';
import { keyedBudgetStore } from './budget/keyed-budget-store.js';
import { createBudgetsApi } from './budget/budgets-api.js';
import { createQuotas } from './budget/quota-middleware.js';
import { BudgetConfigError } from './budget/budget-config-error.js';
import { isAlreadyExecuted } from './write/execute-write.js';
import type { CallFacts, CallMiddleware, CallOptions, PipelineCall } from './spec/pipeline.js';
import { runPipeline, type CallHandler } from './pipeline/run-pipeline.js';
import { auditApi, createAudit, newCallId, SYSTEM_USER } from './audit/create-audit.js';
import { ORMAI_VERSION } from './version.js';
import { checkHealth } from './ops/health.js';
import { parseInput } from './tools/parse-input.js';
import { toEnvelope } from './tools/tool-errors.js';
import { genericToolsByName, offeredGenericTools, type OfferedTool } from './tools/generic-tools.js';
import { offerDomainTools } from './tools/domain/offer-domain-tools.js';
import type { DomainInputAudit, DomainToolHost } from './tools/domain/domain-offer.js';

function parseContext(bound: BoundPolicy, context: unknown): RunContext {
  const parsed = runContextSchema.safeParse(context);
  if (!parsed.success || (bound.anyTenantScoped && !parsed.data.tenantId)) {
    throw errors.invalidContext();
  }
  return parsed.data;
}

/** What the pipeline is asked to run: an action, its untrusted input and context, and where it came from. */
type CallRequest = Pick<PipelineCall, 'action' | 'input' | 'context' | 'options' | 'access'> & { inputAudit?: DomainInputAudit | undefined };

/**
 * Binds a policy to an adapter. `call` is typed by tool; its context type follows the policy's type
 * (`RunContextFor`): `tenantId` is required unless the policy is known to be tenant-free. Every route
 * (`call`, the approvals API, an adapter's own refusals via `withMiddleware`) runs one pipeline.
 */
export function createOrmAI<P extends Policy>(options: CreateOrmAIOptions<P>): OrmAI<RunContextFor<P>> {
  const { adapter, policy, onError } = options;
  const bound = bindPolicy(policy, adapter.introspect(), { sanitizers: options.sanitizers });
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
  // How each domain tool call's input is recorded: the tool offered by the instance that took the call.
  const domainInputs = new WeakMap<PipelineCall, DomainInputAudit>();
  const audit = options.audit
    ? createAudit(options.audit, {
        bound,
        policyHash: hash,
        version: ORMAI_VERSION,
        inputKey: key('audit-input'),
        hashKey: keys.hashKey,
        clock,
        domainInput: (call) => domainInputs.get(call),
        onError: (e) => report(e, 'audit'),
      })
    : null;
  const quotas = policy.quotas ? createQuotas({ quotas: policy.quotas, budgets, bound, tenantScoped: bound.anyTenantScoped, report }) : null;
  // Audit outermost (it records quota refusals too), then quotas, then the host's middleware.
  const outer: CallMiddleware[] = [...(audit ? [audit.trail.middleware] : []), ...(quotas ? [quotas.middleware] : []), ...(options.middleware ?? [])];
  // A domain tool's writes are calls of their own, recorded in their transactions, each counted in writesPerDay
  // and seen by the host's middleware (call logs, alerts); the domain call itself was counted by the step budget
  // and the other quotas.
  const effects: CallMiddleware[] = [...(audit ? [audit.trail.middleware] : []), ...(quotas ? [quotas.handleWrites] : []), ...(options.middleware ?? [])];

  const envFor = (ctx: RunContext, call: PipelineCall, view: BoundPolicy): ToolEnv => ({
    bound: view,
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
  async function run(middleware: readonly CallMiddleware[], { inputAudit, ...request }: CallRequest, handler: CallHandler): Promise<ToolResult> {
    const call: PipelineCall = { id: newCallId(), ...request, startedAt: clock(), facts: {} };
    if (inputAudit) domainInputs.set(call, inputAudit);
    try {
      return await runPipeline(middleware, call, handler);
    } catch (error) {
      report(error, request.action);
      return { ok: false, error: errors.internal().toJSON() };
    }
  }

  /** The handler of one tool call: context, then input, then the tool, each refusal structured. */
  const toolHandler = (tool: OfferedTool | undefined, offered: () => string[]) => async (call: PipelineCall): Promise<ToolResult> => {
    try {
      if (!tool) throw errors.unknownTool(call.action, offered());
      const ctx = parseContext(bound, call.context);
      const args = parseInput(tool.spec, call.input);
      return { ok: true, data: await tool.run(args, envFor(ctx, call, tool.bound), call) };
    } catch (error) {
      return toEnvelope(error, bound, () => report(error, call.action));
    }
  };

  // Domain tools reach every model through the generic tools' code, switches or not: the policy still applies.
  const handleTools = genericToolsByName(bound);
  const generic = new Map(offeredGenericTools(bound, handleTools).map((tool) => [tool.spec.name, tool]));
  const host: DomainToolHost = {
    bound,
    tools: handleTools,
    async write(parent, env, action, input) {
      const tool = handleTools.get(action)!;
      let facts: CallFacts = {};
      // Linked to the domain call by its tool call id (or, outside the AI SDK, by the domain call's record id).
      const options: CallOptions = { ...parent.options, toolCallId: parent.options.toolCallId ?? parent.id };
      const handler = toolHandler({ spec: tool, bound, run: (args, writeEnv) => tool.run(args as never, writeEnv) }, () => []);
      const result = await run(effects, { action, input, context: env.context, options, access: 'write' }, (call) => {
        facts = call.facts;
        return handler(call);
      });
      return { result, facts };
    },
    reserveRows: async (env, action, input) => quotas?.reserveRows(env.context, action, input),
    report: (parent, error) => report(error, parent.action),
  };

  const executeApproved = (record: ApprovalRecord, executionId: string): Promise<ToolResult> => {
    const requester: RunContext = { userId: record.requestedBy, roles: record.requesterRoles, ...(record.tenantId ? { tenantId: record.tenantId } : {}) };
    return run(outer, { action: 'approvals.execute', input: { approvalId: record.id }, context: requester, options: {} }, async (call) => {
      try {
        return { ok: true, data: await runApprovedWrite(record, executionId, envFor(requester, call, bound)) };
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
    return run(outer, { action: 'approvals.expire', input: { approvalId: record.id }, context: system, options: {} }, async (call) => {
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
      run(outer, { action, input: { approvalId: id, ...(text !== undefined ? { note: text } : {}) }, context: approver, options: {} }, async (call) => {
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

  function instance(middleware: readonly CallMiddleware[], offered: ReadonlyMap<string, OfferedTool>): OrmAI<RunContextFor<P>> {
    const auditView = auditApi(audit, bound.anyTenantScoped);
    const auditFailureMode = options.audit?.onFailure ?? policy.audit?.onFailure ?? 'fail_closed';
    const names = () => [...offered.keys()];
    const callTool = (toolName: string, input: unknown, context: RunContext, callOptions: CallOptions = {}) => {
      const tool = typeof toolName === 'string' ? offered.get(toolName) : undefined;
      return run(middleware, { action: toolName, input, context, options: callOptions, access: tool?.spec.access, inputAudit: tool?.auditInput }, toolHandler(tool, names));
    };
    return {
      policy,
      policyHash: hash,
      adapter,
      tools: () => [...offered.values()].map(({ spec }) => ({ ...spec })),
      // The typed view of the same function: each tool's `run` is checked against its ToolMap entry.
      call: callTool as OrmAI<RunContextFor<P>>['call'],
      callTool,
      approvals: {
        ...approvals,
        approve: decision('approvals.approve', (id, approver, note) => approvals.approve(id, approver, note)),
        deny: decision('approvals.deny', (id, approver, why) => approvals.deny(id, approver, why ?? '')),
      },
      withMiddleware: (...more) => instance([...middleware, ...more], offered),
      withTools: (...tools) => instance(middleware, offerDomainTools(offered, tools, host)),
      audit: auditView,
      budgets,
      health: (healthOptions) => checkHealth({ version: ORMAI_VERSION, policyHash: hash, audit: auditView, auditFailureMode, budgets, adapter }, healthOptions),
      close: async () => {
        await audit?.queue.close();
      },
    };
  }
  return instance(outer, offerDomainTools(generic, options.tools ?? [], host));
}
