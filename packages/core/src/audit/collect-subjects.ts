import type { Row } from '../spec/adapter.js';
import type { SubjectRef } from '../spec/audit.js';
import type { BoundModel, BoundPolicy } from '../spec/bound-policy.js';
import type { IncludeNode } from '../spec/plan.js';
import type { FilterInput } from '../spec/tool-inputs.js';

/** A record names at most this many subjects: enough for any page the budgets allow. */
const MAX_SUBJECTS = 1_000;

/** The attributes a read must fetch so the audit can name the subjects of the rows it returns. */
export const subjectFields = (model: BoundModel): string[] => model.subjectKeys.map((k) => k.field);

/** Subjects named by one row of `model`, added to `seen` (deduplicated, bounded). */
function addSubjects(seen: Map<string, SubjectRef>, model: BoundModel, row: Row): void {
  for (const { subject, field } of model.subjectKeys) {
    const value = row[field];
    if (value === null || value === undefined || typeof value === 'object' || seen.size >= MAX_SUBJECTS) continue;
    const ref = { model: subject, id: String(value) };
    seen.set(`${ref.model}\u0000${ref.id}`, ref);
  }
}

/** Subject references in full rows (before projection), included rows too, deduplicated. */
export function collectSubjects(bound: BoundPolicy, model: BoundModel, rows: Row[], includes: IncludeNode[] = []): SubjectRef[] {
  const seen = new Map<string, SubjectRef>();
  const visit = (m: BoundModel, batch: Row[], nodes: IncludeNode[]) => {
    for (const row of batch) {
      addSubjects(seen, m, row);
      for (const node of nodes) {
        const nested = row[node.relation.name];
        const child = bound.models[node.model];
        if (!child || nested === null || nested === undefined) continue;
        visit(child, Array.isArray(nested) ? (nested as Row[]) : [nested as Row], node.includes);
      }
    }
  };
  visit(model, rows, includes);
  return [...seen.values()];
}

/**
 * Subjects a filter singles out (`customerId eq 42`, `in [...]`, under and/or, not under not): an
 * aggregate returns no rows, yet a sum over one customer's orders is an operation on that customer.
 */
export function subjectsInFilter(model: BoundModel, where: FilterInput | undefined): SubjectRef[] {
  const seen = new Map<string, SubjectRef>();
  const visit = (node: FilterInput | undefined, depth: number) => {
    if (!node || depth > 12) return;
    if ('and' in node) node.and.forEach((child) => visit(child, depth + 1));
    else if ('or' in node) node.or.forEach((child) => visit(child, depth + 1));
    else if ('field' in node && (node.op === 'eq' || node.op === 'in')) {
      for (const value of Array.isArray(node.value) ? node.value : [node.value]) addSubjects(seen, model, { [node.field]: value });
    }
  };
  visit(where, 0);
  return [...seen.values()];
}
