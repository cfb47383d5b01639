import type { ExecutionOptions, OrmAIAdapter } from '../adapter.js';
import { errors } from '../errors.js';
import type { BoundModel, BoundPolicy } from '../policy/bind-policy.js';
import type { Budgets, ReadToolName } from '../policy/policy-schema.js';
import type { RunContext } from '../context.js';
import { own } from '../own.js';

/** Everything a tool handler needs for one call. Built per call; holds no model input. */
export interface ToolEnv {
  bound: BoundPolicy;
  adapter: OrmAIAdapter;
  context: RunContext;
  tenantId: string | null;
  cursorKey: Uint8Array;
  hashKey: Uint8Array;
}

export function requireModel(env: ToolEnv, name: string): BoundModel {
  const model = own(env.bound.models, name);
  if (!model) throw errors.modelNotAllowed(name, env.bound.modelNames);
  return model;
}

export function executionOptions(env: ToolEnv, budgets: Budgets): ExecutionOptions {
  return { maxScanRows: budgets.maxScanRows, statementTimeoutMs: budgets.statementTimeoutMs, tenantId: env.tenantId };
}

export type { ReadToolName };
