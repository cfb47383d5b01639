import type { SubjectQuery, SubjectRef } from '../spec/audit.js';

export const sameSubject = (a: SubjectRef, b: SubjectRef): boolean => a.model === b.model && String(a.id) === String(b.id);

/** Whether a record of `tenantId` answers the query: any tenant unless the query names one (`null`: tenant-free records). */
export const inQueriedTenant = (tenantId: string | null, query: SubjectQuery): boolean => query.tenantId === undefined || tenantId === query.tenantId;

/** Whether a record (its tenant and the subjects it names) answers the query. */
export const answers = (tenantId: string | null, subjects: readonly SubjectRef[], query: SubjectQuery): boolean =>
  inQueriedTenant(tenantId, query) && subjects.some((s) => sameSubject(s, query));
