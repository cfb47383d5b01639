import type { BoundApprovalRule, Row } from '@ormai/core';
import { createValues } from './probe-cross-tenant.js';
import { ProbeTally } from './probe-result.js';
import { REASON, scalar, type ProbeSession } from './probe-session.js';
import { WRITE_TOOL } from '../policy/tool-switches.js';

type Values = Record<string, unknown>;
type Condition = { field: string; op: string; value?: unknown };

/** Values that satisfy a `when` tree (the db_query filter grammar), or null when the probe cannot build one. */
export function satisfying(when: unknown): Values | null {
  if (when === undefined || when === null) return {};
  const node = when as { and?: unknown[]; or?: unknown[]; not?: unknown } & Partial<Condition>;
  if (node.and) return node.and.reduce<Values | null>((acc, child) => (acc && satisfying(child) ? { ...acc, ...satisfying(child) } : null), {});
  if (node.or) return node.or.map(satisfying).find((v) => v !== null) ?? null;
  if (node.not !== undefined || !node.field) return null;
  const { field, op, value } = node as Condition;
  const list = Array.isArray(value) ? value : [];
  const byOp: Record<string, unknown> = {
    eq: value, in: list[0], between: list[0], gte: value, lte: value, is_null: value === false ? undefined : null,
    gt: typeof value === 'number' ? value + 1 : undefined, lt: typeof value === 'number' ? value - 1 : undefined,
    contains: value, starts_with: value, ends_with: value,
  };
  const chosen = byOp[op];
  return chosen === undefined ? null : { [field]: chosen };
}

/** Values that trip the rule on `row`: its `when`, and a new value for a `fieldsChanged` field when `when` sets none. */
function triggerValues(rule: BoundApprovalRule, row: Row): Values | null {
  const values = satisfying(rule.when);
  if (!values) return null;
  const changed = rule.fieldsChanged ?? [];
  if (changed.length && !changed.some((f) => f in values && scalar(row[f]) !== values[f])) return null;
  return values;
}

/**
 * Probe 5: each approval rule's trigger, built from its `when` and `fieldsChanged` on a row of tenant
 * A that does not match it yet, must answer approval_required (pending); the probe then denies the
 * request as the config's approver, so none is left open. Writes allowed with no rule at all fail.
 */
export async function probeApproval(session: ProbeSession): Promise<ProbeTally> {
  const tally = new ProbeTally('approval');
  const { a, approver } = session.principals;
  const writable = session.bound.modelNames.filter((m) => session.bound.models[m]!.write);
  const rules = writable.flatMap((model) => session.bound.models[model]!.write!.approvals.map((rule) => ({ model, rule })));
  if (!writable.length) {
    tally.note('the policy allows no writes');
    return tally;
  }
  if (!rules.length) {
    tally.fail(`writes are allowed (${writable.join(', ')}) but no approval rule gates any of them`);
    return tally;
  }
  if (!approver) tally.note('no approver in the config: pending requests were left to expire');
  for (const { model, rule } of rules) {
    const rows = session.rows[model]!;
    const write = session.bound.models[model]!.write!;
    // An operation whose generic tool the policy offers for the model: the others cannot be sent.
    const operations = rule.operations.filter((op) => write.operations.includes(op));
    const operation = operations.length ? operations.find((op) => session.offers(WRITE_TOOL[op], model)) : 'update';
    if (!operation) {
      tally.skip(`rule ${rule.name} (${operations.map((op) => WRITE_TOOL[op]).join('/')} ${model})`);
      continue;
    }
    const target = rows.a.map((row) => ({ row, values: triggerValues(rule, row) })).find((t) => t.values);
    if (!target) {
      tally.fail(`rule ${rule.name} on ${model}: no row of tenant ${a.tenantId} to trigger it on (or its when is too complex to satisfy)`);
      continue;
    }
    const { row, values } = target as { row: Row; values: Values };
    const id = scalar(row[rows.primaryKey]) as string | number;
    const inputs: Record<string, [string, Values]> = {
      update: ['db_update', { model, id, values, reason: REASON }],
      bulk_update: ['db_bulk_update', { model, where: { field: rows.primaryKey, op: 'eq', value: id }, values, reason: REASON }],
      delete: ['db_delete', { model, id, reason: REASON }],
      create: ['db_create', { model, values: { ...createValues(write.writableFields, row), ...values }, reason: REASON }],
    };
    const [tool, input] = inputs[operation]!;
    const result = await session.call(tool, input, a);
    const pending = !result.ok && result.error.code === 'approval_required';
    tally.check(pending, () => `rule ${rule.name}: ${tool} ${model} ${result.ok ? 'ran without approval' : `answered ${result.error.code}`}, not approval_required`);
    if (!pending) continue;
    const approvalId = (result.error.details as { approvalId: string }).approvalId;
    const status = (await session.ormai.approvals.get(approvalId))?.status;
    tally.check(status === 'pending', () => `rule ${rule.name}: request ${approvalId} is ${String(status)}, not pending`);
    const denied = await session.deny(approvalId);
    if (denied) tally.check((await session.ormai.approvals.get(approvalId))?.status === 'denied', () => `rule ${rule.name}: the approver could not deny request ${approvalId}`);
  }
  return tally;
}
