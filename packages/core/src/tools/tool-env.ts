import type { ExecutionOptions, OrmAIAdapter, Row } from '../adapter.js';
import type { ApprovalStore } from '../approvals/approval-store.js';
import type { BudgetStore } from '../budget/budget-store.js';
import { errors } from '../errors.js';
import { own } from '../own.js';
import type { BoundModel, BoundPolicy } from '../policy/bind-policy.js';
import type { Budgets } from '../policy/policy-schema.js';
import type { RunContext } from '../context.js';

/** What a committed write did, handed to `onWrite` inside the write's transaction (audit hooks here). */
export interface WriteEvent {
  tool: string;
  model: string;
  operation: 'create' | 'update' | 'delete' | 'soft_delete' | 'bulk_update';
  tenantId: string | null;
  userId: string;
  reason: string;
  /** Who approved it (per rule), when it ran after an approval. */
  approval: { id: string; approvals: Array<{ rule: string; approvedBy: string | null; approvedAt: number | null }> } | null;
  before: Row[];
  after: Row[];
}

/** Runs inside the write transaction; throwing rolls the write back. `transaction` is the adapter's (a Sequelize Transaction). */
export type WriteListener = (event: WriteEvent, transaction: unknown) => void | Promise<void>;

/** Everything a tool handler needs for one call. Built per call; holds no model input. */
export interface ToolEnv {
  bound: BoundPolicy;
  adapter: OrmAIAdapter;
  context: RunContext;
  tenantId: string | null;
  cursorKey: Uint8Array;
  hashKey: Uint8Array;
  previewKey: Uint8Array;
  clock: () => number;
  budgetStore: BudgetStore;
  approvalStore: ApprovalStore;
  onWrite?: WriteListener;
}

export function requireModel(env: ToolEnv, name: string): BoundModel {
  const model = own(env.bound.models, name);
  if (!model) throw errors.modelNotAllowed(name, env.bound.modelNames);
  return model;
}

export function executionOptions(env: ToolEnv, budgets: Budgets): ExecutionOptions {
  return { maxScanRows: budgets.maxScanRows, statementTimeoutMs: budgets.statementTimeoutMs };
}
