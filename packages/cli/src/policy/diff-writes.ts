import type { ApprovalRule } from '@ormai/core';
import { byNumber, type PolicyChange } from './diff-change.js';
import type { ModelView } from './policy-view.js';
import { duration } from './markdown.js';

const operations = (m: ModelView) => m.write?.operations ?? [];

/** Operations, writable fields, the reason requirement and the write limits of one model in both policies. */
export function diffModelWrites(before: ModelView, after: ModelView): PolicyChange[] {
  const name = after.name;
  const changes: PolicyChange[] = [];
  const [was, is] = [operations(before), operations(after)];
  for (const op of is.filter((o) => !was.includes(o))) changes.push({ group: 'writes', effect: 'grant', at: `${name}.write`, message: `${name}: the agent may now ${op.replace('_', ' ')}` });
  for (const op of was.filter((o) => !is.includes(o))) changes.push({ group: 'writes', effect: 'restrict', at: `${name}.write`, message: `${name}: the agent may no longer ${op.replace('_', ' ')}` });
  const [wasFields, isFields] = [before.write?.writableFields ?? [], after.write?.writableFields ?? []];
  for (const f of isFields.filter((x) => !wasFields.includes(x))) changes.push({ group: 'writes', effect: 'grant', at: `${name}.${f}`, message: `${name}.${f}: newly writable` });
  for (const f of wasFields.filter((x) => !isFields.includes(x))) changes.push({ group: 'writes', effect: 'restrict', at: `${name}.${f}`, message: `${name}.${f}: no longer writable` });
  const [bw, aw] = [before.write, after.write];
  if (!bw || !aw || !is.length) return changes;
  if (was.includes('delete') && is.includes('delete') && bw.softDelete !== aw.softDelete) {
    changes.push({ group: 'writes', effect: aw.softDelete ? 'restrict' : 'grant', at: `${name}.write.delete`, message: `${name}: deletes are now ${aw.softDelete ? 'soft (rows marked, kept)' : 'hard (rows removed)'}` });
  }
  if (bw.requireReason !== aw.requireReason) {
    changes.push({ group: 'reasons', effect: aw.requireReason ? 'restrict' : 'grant', at: `${name}.write.requireReason`, message: `${name}: writes ${aw.requireReason ? 'now require' : 'no longer require'} a reason` });
  }
  changes.push(
    ...byNumber('writes', `${name}.write.maxAffectedRows`, `${name}: rows one write may change`, bw.maxAffectedRows, aw.maxAffectedRows),
    ...byNumber('writes', `${name}.write.maxWritesPerMinute`, `${name}: writes per minute`, bw.maxWritesPerMinute, aw.maxWritesPerMinute),
    ...byNumber('writes', `${name}.write.dryRunAbove`, `${name}: rows a write may change before a dry-run preview is required`, bw.dryRunAbove, aw.dryRunAbove),
  );
  return changes;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const triggerOf = (rule: ApprovalRule) => `${rule.operations.join('/')}${rule.fieldsChanged ? ` changing ${rule.fieldsChanged.join(', ')}` : ''}${rule.when ? ` when ${JSON.stringify(rule.when)}` : ''}`;

/** Approval rules by name: a new gate restricts, a removed one grants, a changed one is described. */
export function diffApprovals(before: ModelView, after: ModelView): PolicyChange[] {
  const name = after.name;
  const was = new Map((before.write?.approvals ?? []).map((r) => [r.name, r]));
  const is = new Map((after.write?.approvals ?? []).map((r) => [r.name, r]));
  const changes: PolicyChange[] = [];
  for (const [rule, r] of is) {
    const at = `${name}.write.approvals.${rule}`;
    const old = was.get(rule);
    if (!old) {
      changes.push({ group: 'approvals', effect: 'restrict', at, message: `${name}: new approval rule '${rule}' (${triggerOf(r)}) by ${r.approverRoles.join(' or ')}, SLA ${duration(r.slaMs)}` });
      continue;
    }
    if (!same(old.operations, r.operations) || !same(old.fieldsChanged, r.fieldsChanged) || !same(old.when, r.when)) {
      changes.push({ group: 'approvals', effect: 'change', at, message: `${name}: approval rule '${rule}' now gates ${triggerOf(r)} (was ${triggerOf(old)})` });
    }
    if (!same([...old.approverRoles].sort(), [...r.approverRoles].sort())) {
      changes.push({ group: 'approvals', effect: 'change', at, message: `${name}: approval rule '${rule}' approvers ${old.approverRoles.join(', ')} → ${r.approverRoles.join(', ')}` });
    }
    if (old.slaMs !== r.slaMs) changes.push({ group: 'approvals', effect: 'change', at, message: `${name}: approval rule '${rule}' SLA ${duration(old.slaMs)} → ${duration(r.slaMs)}` });
  }
  for (const [rule, r] of was) {
    if (!is.has(rule)) changes.push({ group: 'approvals', effect: 'grant', at: `${name}.write.approvals.${rule}`, message: `${name}: approval rule '${rule}' removed: ${triggerOf(r)} no longer waits for ${r.approverRoles.join(' or ')}` });
  }
  return changes;
}
