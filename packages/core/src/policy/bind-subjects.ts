import { own } from '../own.js';
import type { BoundModel } from '../spec/bound-policy.js';
import type { AuditPolicy } from '../spec/policy.js';

/**
 * Which attributes of each model hold a data subject's key (its own primary key on the subject model,
 * the declared foreign keys elsewhere): reads fetch them so audit records can name the subjects whose
 * rows a call returned, whatever the agent selected. They never reach the agent.
 */
export function bindSubjects(subjects: AuditPolicy['subjects'], models: Record<string, BoundModel>, problems: string[]): void {
  for (const [subject, spec] of Object.entries(subjects)) {
    const at = `audit.subjects.${subject}`;
    const model = own(models, subject);
    if (!model) {
      problems.push(`${at}: no such model in the policy`);
      continue;
    }
    model.subjectKeys.push({ subject, field: model.primaryKey });
    for (const [name, field] of Object.entries(spec.references ?? {})) {
      const referencing = own(models, name);
      if (!referencing) problems.push(`${at}.references.${name}: no such model in the policy`);
      else if (!own(referencing.fields, field)) problems.push(`${at}.references.${name}: no attribute '${field}'`);
      else referencing.subjectKeys.push({ subject, field });
    }
  }
}
