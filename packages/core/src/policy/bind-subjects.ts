import { own } from '../own.js';
import type { BoundModel } from '../spec/bound-policy.js';
import type { AuditPolicy } from '../spec/policy.js';

/**
 * Which attributes of each model hold a data subject's key (its own primary key on the subject model,
 * the declared foreign keys elsewhere): reads fetch them so audit records can name the subjects whose
 * rows a call returned, whatever the agent selected. They never reach the agent, but every record stores
 * them in clear: a key on a masked or denied field is refused, as it would put that field's clear value there.
 */
export function bindSubjects(subjects: AuditPolicy['subjects'], models: Record<string, BoundModel>, problems: string[]): void {
  for (const [subject, spec] of Object.entries(subjects)) {
    const at = `audit.subjects.${subject}`;
    const model = own(models, subject);
    if (!model) {
      problems.push(`${at}: no such model in the policy`);
      continue;
    }
    if (readableInClear(model, model.primaryKey, at, problems)) model.subjectKeys.push({ subject, field: model.primaryKey });
    for (const [name, field] of Object.entries(spec.references ?? {})) {
      const referencing = own(models, name);
      const refAt = `${at}.references.${name}`;
      if (!referencing) problems.push(`${refAt}: no such model in the policy`);
      else if (!own(referencing.fields, field)) problems.push(`${refAt}: no attribute '${field}'`);
      else if (readableInClear(referencing, field, refAt, problems)) referencing.subjectKeys.push({ subject, field });
    }
  }
}

/** A subject key is stored in clear in every record: only an 'allow' field may be one. */
function readableInClear(model: BoundModel, field: string, at: string, problems: string[]): boolean {
  const rule = own(model.fields, field)?.rule;
  if (rule === undefined || rule === 'allow') return true; // a missing primary key is reported by bindModel
  problems.push(`${at}: '${field}' is '${rule}', but a subject key is stored in clear in audit records; it must be 'allow'`);
  return false;
}
