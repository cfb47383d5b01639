import type { Row, WriteEffect, WriteRequest } from '../spec/adapter.js';
import type { ApprovalRecord } from '../spec/stores.js';
import { authorizeFilter } from '../authorize/filter.js';
import { scopePredicate, tenantPredicate } from '../authorize/scope.js';
import { projectionFields } from '../authorize/select.js';
import { projectRow } from '../redact.js';
import { errors, OrmAIError } from '../errors.js';
import type { BoundModel } from '../spec/bound-policy.js';
import type { BoundApprovalRule } from '../spec/bound-policy.js';
import { and, TRUE } from '../plan/plan.js';
import type { FilterNode } from '../spec/plan.js';
import { budgetKey } from '../budget/budget-key.js';
import { executionOptions, type ToolEnv } from '../tools/tool-env.js';
import { triggeredRules } from './approval-gate.js';
import { hashRows, previewMatches } from './preview-token.js';
import { TOOL_OF, type WriteCall } from './write-call.js';
import { errorWording } from '../error-wording.js';
import { collectSubjects } from '../audit/collect-subjects.js';

/** Thrown inside the write transaction when approval rules trigger: the write rolls back and is queued instead. */
export class ApprovalGateHit extends Error {
  constructor(
    readonly rules: BoundApprovalRule[],
    readonly targetsHash: string | null,
  ) {
    super(`approval rules ${rules.map((r) => r.name).join(', ')}`);
  }
}

class AlreadyExecuted extends Error {}

interface WriteMode {
  dryRun: boolean;
  /** Set when running an approved write: its gates are satisfied, and its record is closed in the same transaction. */
  approval?: { record: ApprovalRecord; executionId: string };
  /** What the agent gets back, computed inside the transaction so an executed approval stores it. */
  resultOf(effect: WriteEffect): unknown;
}

interface WriteOutcome {
  effect: WriteEffect;
  /** The rules a dry run would trigger. */
  gates: BoundApprovalRule[];
  /** Content hash of the target rows as the transaction saw them. */
  targetsHash: string | null;
  result: unknown;
}

function targetFilter(call: WriteCall, env: ToolEnv): FilterNode {
  if (call.operation === 'create') return TRUE;
  const scope = scopePredicate(call.model, env.tenantId);
  if (call.operation === 'bulk_update') return and(scope, authorizeFilter(call.where, call.model));
  return and(scope, { kind: 'cmp', field: call.model.primaryKey, op: 'eq', value: call.id! });
}

/** Foreign keys the write sets must point at rows of the caller's tenant: the same answer for "missing" and "someone else's". */
function referencesOf(call: WriteCall, env: ToolEnv): WriteRequest['references'] {
  return call.write.references
    .filter((ref) => call.values[ref.field] !== undefined && call.values[ref.field] !== null)
    .map((ref) => {
      const target = env.bound.models[ref.model]!;
      return { field: ref.field, model: ref.model, filter: and(scopePredicate(target, env.tenantId), { kind: 'cmp', field: ref.targetKey, op: 'eq', value: call.values[ref.field]! }) };
    });
}

function requestOf(call: WriteCall, env: ToolEnv, dryRun: boolean): WriteRequest {
  const { model, write, operation } = call;
  const base = {
    model: model.name,
    filter: targetFilter(call, env),
    scope: tenantPredicate(model, env.tenantId),
    maxRows: operation === 'bulk_update' ? write.maxAffectedRows : 1,
    dryRun,
    references: referencesOf(call, env),
  };
  if (operation === 'create') {
    return { ...base, operation, values: model.tenantField ? { ...call.values, [model.tenantField]: env.tenantId } : { ...call.values } };
  }
  if (operation === 'delete' && write.softDelete) {
    const soft = model.softDeleteField!;
    return { ...base, operation: 'soft_delete', values: { [soft.name]: soft.type === 'boolean' ? true : new Date(env.clock()).toISOString() } };
  }
  return { ...base, operation, values: operation === 'delete' ? {} : { ...call.values } };
}

/**
 * Rate limits per principal and per tenant, both at the model's maxWritesPerMinute, taken in one call:
 * a refusal by one spends neither. Previews count separately. A store that cannot answer refuses the
 * write (fail closed): an outage must not lift the limits. Without a tenant (a tenant-free policy)
 * only the principal's budget applies: a 'tenant' budget keyed by null would be one budget for every
 * user of the app, which one user could spend for all and time the others' writes through.
 */
async function takeWriteBudget(call: WriteCall, env: ToolEnv, kind: 'writes' | 'previews') {
  const limit = call.write.maxWritesPerMinute;
  const model = call.model.name;
  const checks = [{ key: budgetKey(kind, 'user', env.tenantId, env.context.userId, model), limit, windowMs: 60_000 }];
  if (env.tenantId !== null) checks.push({ key: budgetKey(kind, 'tenant', env.tenantId, model), limit, windowMs: 60_000 });
  const decision = await env.budgetStore.take(checks).catch(() => {
    throw errors.budgetUnavailable();
  });
  if (!decision.allowed) throw errors.rateLimited(model, limit, decision.retryAfterMs);
}

/**
 * Previews and approvals bind to the rows as the agent sees them: a change to a column it cannot read
 * (a password hash, say) must not make them stale, or staleness would tell it that column changed.
 */
function hashVisibleRows(model: BoundModel, rows: Row[], hashKey: Uint8Array): string {
  const visible = { fields: projectionFields(model, model.readable), includes: [] };
  return hashRows(rows.map((row) => projectRow(row, visible, hashKey)));
}

/** A database refusal (a unique constraint, say) names only fields the agent can read: a hidden column's name is not its business. */
function withoutHiddenFields(error: unknown, model: BoundModel): unknown {
  if (!OrmAIError.isInstance(error)) return error;
  const payload = error.toJSON();
  if (payload.code !== 'invalid_input' || !payload.details.fields) return error;
  const named = payload.details.fields;
  const fields = named.filter((f) => model.readable.includes(f));
  if (fields.length === named.length) return error;
  return errors.invalidInput({ message: payload.message, suggestion: errorWording.invalidInput.checkValuesOf(fields) }, { ...payload.details, fields });
}

/** An approved write runs only on the rows, and under the rules, that were approved. */
function checkApproved(call: WriteCall, record: ApprovalRecord, targetsHash: string | null, rules: BoundApprovalRule[]) {
  if (record.targetsHash !== targetsHash) throw errors.approvalStale(call.model.name, 'the rows it changes were modified since the request');
  const approved = new Set(record.approvals.map((a) => a.rule));
  const unapproved = rules.filter((r) => !approved.has(r.name));
  if (unapproved.length) throw errors.approvalStale(call.model.name, `it now also triggers ${unapproved.map((r) => r.name).join(', ')}`);
}

/**
 * Runs one write through the adapter, with every check that depends on the target rows made inside
 * the transaction, after the rows are locked: existence (in the caller's tenant), maxAffectedRows, the
 * preview for large writes, approval gates.
 */
export async function executeWrite(call: WriteCall, env: ToolEnv, mode: WriteMode): Promise<WriteOutcome> {
  const adapter = env.adapter;
  if (!adapter.write) throw errors.writeNotAllowed(call.model.name, call.operation, []);
  if (!mode.approval) await takeWriteBudget(call, env, mode.dryRun ? 'previews' : 'writes');
  const { model, write, operation } = call;
  const request = requestOf(call, env, mode.dryRun);
  let gates: BoundApprovalRule[] = [];
  let targetsHash: string | null = null;
  let result: unknown;

  const effect = await adapter.write(request, executionOptions(env, env.bound.budgetsFor(model, 'db_query')), {
    beforeChange(targets: Row[]) {
      if ((operation === 'update' || operation === 'delete') && targets.length === 0) throw errors.notFound(model.name);
      if (targets.length > write.maxAffectedRows) throw errors.affectedRowsExceeded(model.name, write.maxAffectedRows);
      targetsHash = operation === 'create' ? null : hashVisibleRows(model, targets, env.hashKey);
      // Whatever happens next (a gate, a preview, a refusal), the audit names whose rows this write is about.
      env.facts.subjects = collectSubjects(env.bound, model, operation === 'create' ? [request.values] : targets);
      gates = triggeredRules(model, write.approvals, operation, targets, request.values);
      if (mode.approval) return checkApproved(call, mode.approval.record, targetsHash, gates);
      if (operation === 'bulk_update' && !mode.dryRun && targets.length > write.dryRunAbove) {
        const who = { tenantId: env.tenantId, userId: env.context.userId };
        const fresh = call.previewId !== undefined && previewMatches(env.previewKey, who, call.previewId, { argsHash: call.argsHash, rowsHash: targetsHash!, now: env.clock() });
        if (!fresh) throw errors.dryRunRequired(model.name, targets.length, write.dryRunAbove, call.previewId !== undefined);
      }
      if (gates.length && !mode.dryRun) throw new ApprovalGateHit(gates, targetsHash);
    },
    async afterChange(done, transaction) {
      result = mode.resultOf(done);
      if (mode.dryRun) return;
      const approval = mode.approval;
      // Close the approval first: if another approver already ran it, this write rolls back before anything is recorded.
      if (approval) {
        // A store outside the database cannot commit with the write: it says `executing` until the commit is done.
        const status = env.approvalStore.transactional ? ('executed' as const) : ('executing' as const);
        const patch = { status, executionId: approval.executionId, executedAt: env.clock(), result };
        if (!(await env.approvalStore.update(approval.record.id, approval.record.version, patch, transaction))) throw new AlreadyExecuted();
      }
      await env.onWrite?.(
        {
          tool: TOOL_OF[call.operation],
          model: model.name,
          operation: request.operation,
          tenantId: env.tenantId,
          userId: env.context.userId,
          reason: call.reason,
          approval: approval
            ? { id: approval.record.id, approvals: approval.record.approvals.map((a) => ({ rule: a.rule, approvedBy: a.approvedBy ?? null, approvedAt: a.approvedAt ?? null })) }
            : null,
          before: done.before,
          after: done.after,
        },
        transaction,
      );
      env.facts.rowsAffected = request.operation === 'create' ? done.after.length : done.before.length;
      env.facts.subjects = collectSubjects(env.bound, model, [...done.before, ...done.after]);
      // Last, so the record describes the finished write; it commits or rolls back with it.
      await env.recordWrite?.(transaction);
    },
  }).catch((error: unknown) => {
    throw withoutHiddenFields(error, model);
  });
  const approval = mode.approval;
  if (approval && !env.approvalStore.transactional) {
    await env.approvalStore.update(approval.record.id, approval.record.version + 1, { status: 'executed' });
  }
  return { effect, gates, targetsHash, result };
}

export const isAlreadyExecuted = (error: unknown) => error instanceof AlreadyExecuted;
