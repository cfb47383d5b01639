import type { Row } from '../spec/adapter.js';
import type { SubjectRef } from '../spec/audit.js';
import type { BoundModel, BoundPolicy } from '../spec/bound-policy.js';
import type { IncludeNode } from '../spec/plan.js';

/** A record names at most this many subjects: enough for any page the budgets allow. */
const MAX_SUBJECTS = 1_000;

/** The attributes a read must fetch so the audit can name the subjects of the rows it returns. */
export const subjectFields = (model: BoundModel): string[] => model.subjectKeys.map((k) => k.field);

/** Subject references in full rows (before projection), included rows too, deduplicated. */
export function collectSubjects(bound: BoundPolicy, model: BoundModel, rows: Row[], includes: IncludeNode[] = []): SubjectRef[] {
  const seen = new Map<string, SubjectRef>();
  const visit = (m: BoundModel, batch: Row[], nodes: IncludeNode[]) => {
    for (const row of batch) {
      for (const { subject, field } of m.subjectKeys) {
        const value = row[field];
        if (value === null || value === undefined || seen.size >= MAX_SUBJECTS) continue;
        const ref = { model: subject, id: String(value) };
        seen.set(`${ref.model}\u0000${ref.id}`, ref);
      }
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
