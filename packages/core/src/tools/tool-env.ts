import type { ExecutionOptions, OrmAIAdapter, Row } from '../spec/adapter.js';
import type { ApprovalStore, WriteListener } from '../spec/stores.js';
import type { BudgetStore } from '../spec/stores.js';
import { errors } from '../errors.js';
import { own } from '../own.js';
import type { BoundModel, BoundPolicy } from '../spec/bound-policy.js';
import type { Budgets } from '../spec/policy.js';
import type { RunContext } from '../spec/context.js';
import type { CallFacts } from '../spec/pipeline.js';

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
  /** What the call learned, for the audit record and other middleware. */
  facts: CallFacts;
  /** Records this write's audit entry inside its transaction (throws when it cannot: the write rolls back). */
  recordWrite?: (transaction: unknown) => Promise<void>;
}

/** A model this tool may touch: one of `bound.modelNames` (a tool switched off for a model answers like an unknown model). */
export function requireModel(env: ToolEnv, name: string): BoundModel {
  const model = env.bound.modelNames.includes(name) ? own(env.bound.models, name) : undefined;
  if (!model) throw errors.modelNotAllowed(name, env.bound.modelNames);
  env.facts.model = model.name;
  return model;
}

export function executionOptions(env: ToolEnv, budgets: Budgets): ExecutionOptions {
  return { maxScanRows: budgets.maxScanRows, statementTimeoutMs: budgets.statementTimeoutMs, tenantId: env.tenantId };
}
