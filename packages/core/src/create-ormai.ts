import { ExecutionLimitError, type OrmAIAdapter } from './adapter.js';
import { runContextSchema, type RunContext } from './context.js';
import { keyFromSecret, randomKey } from './crypto.js';
import { errors, OrmAIError, type ErrorPayload } from './errors.js';
import { bindPolicy, type BoundPolicy } from './policy/bind-policy.js';
import { policyHash } from './policy/define-policy.js';
import type { Policy } from './policy/policy-schema.js';
import { readTools, type ToolDefinition, type ToolSpec } from './tools/read-tools.js';
import type { ToolEnv, WriteListener } from './tools/tool-env.js';
import { newApprovalId, runApprovedWrite, writeTools } from './tools/write-tools.js';
import { MemoryApprovalStore, type ApprovalRecord, type ApprovalStore } from './approvals/approval-store.js';
import { createApprovalsApi, type ApprovalsApi } from './approvals/approvals.js';
import { MemoryBudgetStore, type BudgetStore } from './budget/budget-store.js';
import { isAlreadyExecuted } from './write/execute-write.js';
import { checkInputShape, MAX_INPUT_DEPTH, type InputShape } from './tools/input-depth.js';
import { LIMITS } from './tools/input-schemas.js';

export interface CreateOrmAIOptions {
  adapter: OrmAIAdapter;
  policy: Policy;
  /**
   * Signs pagination cursors and preview ids, and keys the `hash` mask. Without it a random per-process
   * key is used: cursors and previews stop working after a restart, hashed values change between processes.
   */
  secret?: string;
  /** Receives unexpected errors (the agent only ever sees `internal_error`). Wire it to your logger. */
  onError?: (error: unknown, info: { tool: string }) => void;
  /** Where gated writes wait for a decision. Default: in memory (lost on restart); use sequelizeApprovalStore. */
  approvals?: ApprovalStore;
  /** Counts writes per minute. Default: in memory, exact within one process. */
  budgetStore?: BudgetStore;
  /** Milliseconds since the epoch; inject one to test SLAs and rate windows. */
  clock?: () => number;
  /** Called inside every write's transaction with what changed: audit records written here commit with the write. */
  onWrite?: WriteListener;
}

export type ToolResult<T = unknown> = { ok: true; data: T } | { ok: false; error: ErrorPayload };

export interface OrmAI {
  readonly policy: Policy;
  readonly policyHash: string;
  readonly adapter: OrmAIAdapter;
  /** The tools this policy allows, with their zod input schemas. */
  tools(): ToolSpec[];
  /** Runs one tool call through the whole pipeline. Never throws for policy, input or database problems. */
  call(tool: string, input: unknown, context: RunContext): Promise<ToolResult>;
  /** The approval queue: decide on gated writes (approver identity is checked and recorded). */
  approvals: ApprovalsApi;
}

const MAX_INPUT_BYTES = 64 * 1024;

function parseContext(bound: BoundPolicy, context: unknown): RunContext {
  const parsed = runContextSchema.safeParse(context);
  if (!parsed.success || (bound.anyTenantScoped && !parsed.data.tenantId)) {
    throw new OrmAIError({
      code: 'invalid_context',
      message: 'The run context is missing or invalid.',
      retryable: false,
      suggestion: 'This is a server configuration problem, not something the request can fix: tell the user the data is unavailable.',
      details: {},
    });
  }
  return parsed.data;
}

function parseInput<I>(tool: ToolDefinition<I>, input: unknown): I {
  // Shape first, without recursion: JSON.stringify and zod overflow the stack on deeply nested input.
  let shape: InputShape;
  let size = 0;
  try {
    shape = checkInputShape(input, { maxDepth: MAX_INPUT_DEPTH, maxValues: MAX_INPUT_BYTES });
    if (shape === 'ok') size = JSON.stringify(input ?? null).length;
  } catch {
    throw errors.invalidInput('The input is not plain JSON.', 'Send a JSON object.');
  }
  if (shape === 'too_deep') {
    throw errors.invalidInput(
      `The input is nested too deeply (at most ${MAX_INPUT_DEPTH} levels of objects and arrays).`,
      `Flatten the filter: list conditions side by side in one "and"/"or" array instead of nesting them (filters nest at most ${LIMITS.maxFilterDepth} deep, includes at most 3), and use op "in" for alternatives on one field.`,
      { maxDepth: MAX_INPUT_DEPTH },
    );
  }
  if (shape === 'too_many_values' || size > MAX_INPUT_BYTES) throw errors.invalidInput('The input is too large.', 'Send a smaller request.');
  const parsed = tool.inputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`);
  throw errors.invalidInput(`Invalid input for ${tool.name}: ${issues.join('; ')}`, `Fix the listed problems; ${tool.description}`, {
    issues,
  });
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

export function createOrmAI(options: CreateOrmAIOptions): OrmAI {
  const { adapter, policy, onError } = options;
  const bound = bindPolicy(policy, adapter.introspect());
  const tools = new Map([...readTools(bound), ...writeTools(bound)].map((t) => [t.name, t]));
  const key = (purpose: string) => (options.secret ? keyFromSecret(options.secret, purpose) : randomKey());
  const keys = { cursorKey: key('cursor'), hashKey: key('mask-hash'), previewKey: key('preview') };
  const clock = options.clock ?? Date.now;
  const approvalStore = options.approvals ?? new MemoryApprovalStore();
  const budgetStore = options.budgetStore ?? new MemoryBudgetStore(clock);
  const envFor = (ctx: RunContext): ToolEnv => ({
    bound,
    adapter,
    context: ctx,
    tenantId: ctx.tenantId ?? null,
    ...keys,
    clock,
    budgetStore,
    approvalStore,
    ...(options.onWrite ? { onWrite: options.onWrite } : {}),
  });

  async function call(toolName: string, input: unknown, context: RunContext): Promise<ToolResult> {
    try {
      const tool = tools.get(toolName);
      if (!tool) {
        throw new OrmAIError({
          code: 'unknown_tool',
          message: `There is no tool '${toolName}'.`,
          retryable: true,
          suggestion: `Use one of: ${[...tools.keys()].join(', ')}.`,
          details: { tools: [...tools.keys()] },
        });
      }
      const ctx = parseContext(bound, context);
      const args = parseInput(tool, input);
      return { ok: true, data: await tool.run(args, envFor(ctx)) };
    } catch (error) {
      return toEnvelope(error, bound, () => onError?.(error, { tool: toolName }));
    }
  }

  async function executeApproved(record: ApprovalRecord, executionId: string): Promise<ToolResult> {
    const requester: RunContext = { userId: record.requestedBy, roles: record.requesterRoles, ...(record.tenantId ? { tenantId: record.tenantId } : {}) };
    try {
      return { ok: true, data: await runApprovedWrite(record, executionId, envFor(requester)) };
    } catch (error) {
      if (isAlreadyExecuted(error)) {
        // Another approver ran it first, or it was closed meanwhile: the caller reads the record's state.
        return { ok: false, error: new OrmAIError({ code: 'approval_not_pending', message: 'The approval changed while running.', retryable: false, suggestion: 'Read its status.', details: {} }).toJSON() };
      }
      return toEnvelope(error, bound, () => onError?.(error, { tool: record.tool }));
    }
  }

  return {
    policy,
    policyHash: policyHash(policy),
    adapter,
    tools: () => [...tools.values()].map(({ name, description, inputSchema, access }) => ({ name, description, inputSchema, access })),
    call,
    approvals: createApprovalsApi({
      store: approvalStore,
      clock,
      newId: newApprovalId,
      execute: executeApproved,
      ...(onError ? { onError: (error: unknown) => onError(error, { tool: 'approvals' }) } : {}),
    }),
  };
}
