import { errors } from '../errors.js';
import type { AuditRecord } from '../spec/audit.js';
import type { CallMiddleware, PipelineCall } from '../spec/pipeline.js';
import type { ToolResult } from '../spec/tools.js';
import type { AuditQueue } from './audit-queue.js';
import { buildRecord, type RecordDeps } from './build-record.js';

/** Actions that already happened when they are recorded: refusing them would only lose their record. */
const ALREADY_DONE = new Set(['approvals.expire']);

export interface AuditTrail {
  middleware: CallMiddleware;
  /** For the write path: records the call inside the write's transaction; throws `audit_unavailable` when it cannot. */
  recordWrite(call: PipelineCall, transaction: unknown): Promise<void>;
}

/**
 * The outermost middleware: every call, whatever refused it (a middleware, the policy, the database),
 * leaves exactly one record. A write's record is written inside its transaction (`recordWrite`); if
 * that transaction then fails, the call's error is recorded instead (same id). Reads are queued.
 */
export function createAuditTrail(queue: AuditQueue, deps: RecordDeps & { onError: (error: unknown) => void }): AuditTrail {
  /** Calls whose record went into a write transaction, and whether that sink joined it. */
  const inTransaction = new WeakMap<PipelineCall, { joined: boolean }>();

  return {
    middleware: {
      name: 'audit',
      async wrapCall(call, next) {
        let result: ToolResult;
        const admitted = ALREADY_DONE.has(call.action) || queue.admit();
        if (!admitted) {
          result = { ok: false, error: errors.auditUnavailable().toJSON() };
        } else {
          try {
            result = await next();
          } catch (error) {
            deps.onError(error);
            result = { ok: false, error: errors.internal().toJSON() };
          }
        }
        const written = inTransaction.get(call);
        // A joined record rolled back with a failed write; a record already written elsewhere stands. A sink
        // that joined in part gets the final record of every joined write, for the members that did not join.
        const final = !written || (written.joined && (!result.ok || queue.sink.wantsFinalRecord === true));
        if (final) queue.push(buildRecord(call, result, deps), admitted && !ALREADY_DONE.has(call.action));
        else if (admitted) queue.release();
        return result;
      },
    },
    async recordWrite(call, transaction) {
      const record: AuditRecord = buildRecord(call, { ok: true, data: null }, deps);
      try {
        await queue.writeNow(record, transaction);
      } catch (error) {
        deps.onError(error);
        throw errors.auditUnavailable();
      }
      inTransaction.set(call, { joined: queue.sink.canJoin?.(transaction) === true });
    },
  };
}
