import type { AuditRecord, SubjectRef } from '../spec/audit.js';

export const hasSubject = (record: AuditRecord, subject: SubjectRef): boolean =>
  record.payload.subjects.some((s) => s.model === subject.model && s.id === String(subject.id));
