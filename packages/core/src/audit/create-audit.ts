import { bytesToHex, randomKey } from '../crypto.js';
import type { AuditOptions, AuditRecord, SubjectQuery } from '../spec/audit.js';
import type { AuditApi } from '../spec/ormai.js';
import { AuditQueue } from './audit-queue.js';
import { createAuditTrail, type AuditTrail } from './audit-middleware.js';
import type { RecordDeps } from './build-record.js';

/** The principal of what the library does by itself (an approval expiring). */
export const SYSTEM_USER = 'ormai:system';

export const newCallId = (): string => bytesToHex(randomKey()).slice(0, 32);

export interface Audit {
  queue: AuditQueue;
  trail: AuditTrail;
}

export function createAudit(options: AuditOptions, deps: RecordDeps & { onError: (error: unknown) => void }): Audit {
  const queue = new AuditQueue(options.sink, {
    batchSize: options.batchSize ?? 200,
    flushIntervalMs: options.flushIntervalMs ?? 250,
    maxQueue: options.maxQueue ?? 10_000,
    mode: options.onFailure ?? deps.bound.policy.audit?.onFailure ?? 'fail_closed',
    onError: deps.onError,
  });
  return { queue, trail: createAuditTrail(queue, { ...deps, traceContext: options.traceContext }) };
}

const notConfigured = () => Promise.reject(new Error('the audit trail is not configured (createOrmAI({ audit: { sink } }))'));

function unsupported(sink: string, what: string): Promise<never> {
  return Promise.reject(new Error(`the audit sink '${sink}' does not support ${what}`));
}

/**
 * Under a tenant-scoped policy a subject is a row of one tenant: the query must say which, or two
 * tenants' Customer 42 would be reported (and erased) together.
 */
function checkedQuery(subject: SubjectQuery, tenantScoped: boolean): SubjectQuery {
  if (tenantScoped && subject.tenantId === undefined) {
    throw new Error('subjectAccessReport/eraseSubject need the subject\'s tenantId under a tenant-scoped policy');
  }
  return { model: subject.model, id: String(subject.id), ...(subject.tenantId !== undefined ? { tenantId: subject.tenantId } : {}) };
}

export function auditApi(audit: Audit | null, tenantScoped: boolean): AuditApi {
  if (!audit) {
    return { enabled: false, flush: async () => {}, health: () => null, subjectAccessReport: notConfigured, eraseSubject: notConfigured, verify: notConfigured };
  }
  const { queue } = audit;
  const sink = queue.sink;
  return {
    enabled: true,
    flush: () => queue.flush(),
    health: () => queue.health(),
    async subjectAccessReport(subject: SubjectQuery): Promise<AuditRecord[]> {
      const query = checkedQuery(subject, tenantScoped);
      if (!sink.subjectAccess) return unsupported(sink.name, 'subject access reports');
      await queue.flush();
      return sink.subjectAccess(query);
    },
    async eraseSubject(subject: SubjectQuery): Promise<number> {
      const query = checkedQuery(subject, tenantScoped);
      if (!sink.eraseSubject) return unsupported(sink.name, 'erasure');
      // Queued records reach the sink first, so none escapes the erasure.
      await queue.flush();
      return sink.eraseSubject(query);
    },
    async verify() {
      if (!sink.verify) return unsupported(sink.name, 'chain verification');
      await queue.flush();
      return sink.verify();
    },
  };
}
