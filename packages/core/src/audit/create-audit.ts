import { bytesToHex, randomKey } from '../crypto.js';
import type { AuditOptions, AuditRecord, SubjectRef } from '../spec/audit.js';
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

export function auditApi(audit: Audit | null): AuditApi {
  if (!audit) {
    return { enabled: false, flush: async () => {}, health: () => null, subjectAccessReport: notConfigured, eraseSubject: notConfigured, verify: notConfigured };
  }
  const { queue } = audit;
  const sink = queue.sink;
  return {
    enabled: true,
    flush: () => queue.flush(),
    health: () => queue.health(),
    async subjectAccessReport(subject: SubjectRef): Promise<AuditRecord[]> {
      if (!sink.subjectAccess) return unsupported(sink.name, 'subject access reports');
      await queue.flush();
      return sink.subjectAccess({ model: subject.model, id: String(subject.id) });
    },
    async eraseSubject(subject: SubjectRef): Promise<number> {
      if (!sink.eraseSubject) return unsupported(sink.name, 'erasure');
      // Queued records reach the sink first, so none escapes the erasure.
      await queue.flush();
      return sink.eraseSubject({ model: subject.model, id: String(subject.id) });
    },
    async verify() {
      if (!sink.verify) return unsupported(sink.name, 'chain verification');
      await queue.flush();
      return sink.verify();
    },
  };
}
