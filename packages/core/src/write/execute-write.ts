import type { Row, WriteEffect, WriteRequest } from '../adapter.js';
import type { ApprovalRecord } from '../approvals/approval-store.js';
import { authorizeFilter } from '../authorize/filter.js';
import { scopePredicate } from '../authorize/scope.js';
import { errors } from '../errors.js';
import type { BoundApprovalRule } from '../policy/bind-write.js';
import { and, TRUE, type FilterNode } from '../plan/plan.js';
import { executionOptions, type ToolEnv } from '../tools/tool-env.js';
import { matchApprovalRule } from './approval-gate.js';
import { hashKeys, previewMatches } from './preview-token.js';
import type { WriteCall } from './write-call.js';

/** Thrown inside the write transaction when an approval rule triggers: the write rolls back and is queued instead. */
export class ApprovalGateHit extends Error {
  constructor(readonly rule: BoundApprovalRule) {
    super(`approval rule ${rule.name}`);
  }
}

class AlreadyExecuted extends Error {}

export interface WriteMode {
  dryRun: boolean;
  /** Set when running an approved write: its gate is satisfied, and its record is closed in the same transaction. */
  approval?: ApprovalRecord;
  /** What the agent gets back, computed inside the transaction so an executed approval stores it. */
  resultOf(effect: WriteEffect): unknown;
}

export interface WriteOutcome {
  effect: WriteEffect;
  /** The rule a dry run would trigger. */
  gate: BoundApprovalRule | null;
  result: unknown;
}

function targetFilter(call: WriteCall, env: ToolEnv): FilterNode {
  if (call.operation === 'create') return TRUE;
  const scope = scopePredicate(call.model, env.tenantId);
  if (call.operation === 'bulk_update') return and(scope, authorizeFilter(call.where, call.model));
  return and(scope, { kind: 'cmp', field: call.model.primaryKey, op: 'eq', value: call.id! });
}

function requestOf(call: WriteCall, env: ToolEnv, dryRun: boolean): WriteRequest {
  const { model, write, operation } = call;
  const base = { model: model.name, filter: targetFilter(call, env), maxRows: operation === 'bulk_update' ? write.maxAffectedRows : 1, dryRun };
  if (operation === 'create') {
    return { ...base, operation, values: model.tenantField ? { ...call.values, [model.tenantField]: env.tenantId } : { ...call.values } };
  }
  if (operation === 'delete' && write.softDelete) {
    const soft = model.softDeleteField!;
    return { ...base, operation: 'soft_delete', values: { [soft.name]: soft.type === 'boolean' ? true : new Date(env.clock()).toISOString() } };
  }
  return { ...base, operation, values: operation === 'delete' ? {} : { ...call.values } };
}

/** Rate limits per tenant and per principal, both at the model's maxWritesPerMinute. */
async function takeWriteBudget(call: WriteCall, env: ToolEnv) {
  const limit = call.write.maxWritesPerMinute;
  for (const key of [`writes:user:${env.tenantId}:${env.context.userId}:${call.model.name}`, `writes:tenant:${env.tenantId}:${call.model.name}`]) {
    const decision = await env.budgetStore.consume(key, limit, 60_000);
    if (!decision.allowed) throw errors.rateLimited(call.model.name, limit, decision.retryAfterMs);
  }
}

/**
 * Runs one write through the adapter, with every check that depends on the target rows made inside
 * the transaction, after the rows are locked: existence (in the caller's tenant), maxAffectedRows, the
 * preview for large writes, and approval gates.
 */
export async function executeWrite(call: WriteCall, env: ToolEnv, mode: WriteMode): Promise<WriteOutcome> {
  const adapter = env.adapter;
  if (!adapter.write) throw errors.writeNotAllowed(call.model.name, call.operation, []);
  if (!mode.dryRun && !mode.approval) await takeWriteBudget(call, env);
  const { model, write, operation } = call;
  const request = requestOf(call, env, mode.dryRun);
  let gate: BoundApprovalRule | null = null;
  let result: unknown;

  const effect = await adapter.write(request, executionOptions(env, env.bound.budgetsFor(model, 'db_query')), {
    beforeChange(targets: Row[]) {
      if ((operation === 'update' || operation === 'delete') && targets.length === 0) throw errors.notFound(model.name);
      if (targets.length > write.maxAffectedRows) throw errors.affectedRowsExceeded(model.name, write.maxAffectedRows);
      if (operation === 'bulk_update' && !mode.dryRun && targets.length > write.dryRunAbove) {
        const fresh =
          call.previewId !== undefined &&
          previewMatches(env.previewKey, { tenantId: env.tenantId, userId: env.context.userId }, call.previewId, {
            argsHash: call.argsHash,
            keysHash: hashKeys(targets, model.primaryKey),
            now: env.clock(),
          });
        if (!fresh) throw errors.dryRunRequired(model.name, targets.length, write.dryRunAbove, call.previewId !== undefined);
      }
      gate = mode.approval ? null : matchApprovalRule(model, write.approvals, operation, targets, request.values);
      if (gate && !mode.dryRun) throw new ApprovalGateHit(gate);
    },
    async afterChange(done, transaction) {
      result = mode.resultOf(done);
      if (mode.dryRun) return;
      const approval = mode.approval;
      // Close the approval first: if another approver already ran it, this write rolls back before anything is recorded.
      if (approval) {
        const closed = await env.approvalStore.update(approval.id, ['approved'], { status: 'executed', executedAt: env.clock(), result }, transaction);
        if (!closed) throw new AlreadyExecuted();
      }
      await env.onWrite?.(
        {
          tool: call.operation,
          model: model.name,
          operation: request.operation,
          tenantId: env.tenantId,
          userId: env.context.userId,
          reason: call.reason,
          approval: approval ? { id: approval.id, rule: approval.rule, approvedBy: approval.decidedBy ?? null, approvedAt: approval.decidedAt ?? null } : null,
          before: done.before,
          after: done.after,
        },
        transaction,
      );
    },
  });
  return { effect, gate, result };
}

export const isAlreadyExecuted = (error: unknown) => error instanceof AlreadyExecuted;
