import { cleanText } from '../audit/clean-text.js';
import { hmacHex } from '../crypto.js';
import { errors } from '../errors.js';
import type { IdentifierHandling } from '../audit/event-stream-sink.js';
import type { AuditDecision } from '../spec/audit.js';
import type { CallMiddleware, PipelineCall } from '../spec/pipeline.js';
import type { ToolResult } from '../spec/tools.js';

/**
 * One finished call, as logs and alert detectors see it: what was asked, of which model, what was
 * decided, how long it took and how many rows it touched. Never the input, the reason or a row value.
 */
export interface CallEvent {
  type: 'ormai.call';
  /** When the call started, ISO-8601. */
  time: string;
  callId: string;
  /** A tool name, or an approvals action (`approvals.approve`...). */
  action: string;
  /** `allowed`, or the error code the call answered with. */
  decision: AuditDecision;
  durationMs: number;
  model: string | null;
  rowsReturned: number | null;
  rowsAffected: number | null;
  /** Tenant, user and session: in clear, HMAC-hashed or null, as the `identifiers` option says. */
  tenantId: string | null;
  userId: string | null;
  sessionId: string | null;
  requestId: string | null;
  traceId: string | null;
  spanId: string | null;
  runId: string | null;
  toolCallId: string | null;
  approvalId: string | null;
}

export interface CallEventOptions {
  /** How tenant, user and session ids appear (see `eventStreamSink`). Required unless `key` is given (then 'hashed'). */
  identifiers?: IdentifierHandling | undefined;
  /** The HMAC key for `hashed`: keep it apart from the instance secret. */
  key?: Uint8Array | undefined;
  /** Milliseconds since the epoch; pass the instance's clock when it has one (durations are measured against `startedAt`). */
  clock?: (() => number) | undefined;
  /** The active span's ids when the call's facts name none (e.g. `activeTraceContext` from `@ormai/core/otel`). */
  traceContext?: (() => { traceId: string; spanId: string } | undefined) | undefined;
}

/** Options that cannot work: no identifier choice, or `hashed` without a key. */
export class CallEventConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallEventConfigError';
  }
}

const MAX_ID_CHARS = 200;

/** The context and options are untrusted: only strings, cleaned and capped. */
const idOf = (value: unknown): string | null => (typeof value === 'string' ? cleanText(value, MAX_ID_CHARS) : null);

export type CallEventBuilder = (call: PipelineCall, result: ToolResult) => CallEvent;

/** Checks the options once, then builds each call's event. */
export function callEventBuilder(options: CallEventOptions, use: string): CallEventBuilder {
  const identifiers = options.identifiers ?? (options.key ? 'hashed' : undefined);
  if (!identifiers) throw new CallEventConfigError(`${use}: pass \`identifiers\` ('clear', 'hashed' or 'omitted'), or a \`key\` to hash them`);
  if (identifiers === 'hashed' && !options.key) throw new CallEventConfigError(`${use}: identifiers 'hashed' needs a \`key\``);
  const key = options.key;
  const clock = options.clock ?? Date.now;
  const person = (value: unknown): string | null => {
    const id = idOf(value);
    if (id === null || identifiers === 'omitted') return null;
    return identifiers === 'hashed' ? hmacHex(key!, id) : id;
  };
  return (call, result) => {
    const context = (call.context ?? {}) as unknown as Record<string, unknown>;
    const trace = call.facts.trace ?? options.traceContext?.();
    return {
      type: 'ormai.call',
      time: new Date(call.startedAt).toISOString(),
      callId: call.id,
      action: cleanText(call.action, 100),
      decision: result.ok ? 'allowed' : result.error.code,
      durationMs: Math.max(0, clock() - call.startedAt),
      model: call.facts.model ?? null,
      // A failed call returned nothing and changed nothing (as in the audit record).
      rowsReturned: result.ok ? (call.facts.rowsReturned ?? null) : null,
      rowsAffected: result.ok ? (call.facts.rowsAffected ?? null) : null,
      tenantId: person(context.tenantId),
      userId: person(context.userId),
      sessionId: person(context.sessionId),
      requestId: idOf(context.requestId),
      traceId: trace?.traceId ?? idOf(context.traceId),
      spanId: trace?.spanId ?? null,
      runId: idOf(call.options.runId),
      toolCallId: idOf(call.options.toolCallId),
      approvalId: idOf(call.facts.approvalId),
    };
  };
}

/**
 * A middleware that builds each finished call's event and hands it on. A call that throws past it is
 * seen as `internal_error` (what the pipeline answers) and rethrown. `deliver` must not throw; its
 * errors go to `onError` and never change the call's result.
 */
export function callEventMiddleware(name: string, build: CallEventBuilder, deliver: (event: CallEvent) => void, onError: (error: unknown) => void): CallMiddleware {
  const emit = (call: PipelineCall, result: ToolResult) => {
    try {
      deliver(build(call, result));
    } catch (error) {
      onError(error);
    }
  };
  return {
    name,
    async wrapCall(call, next) {
      let result: ToolResult;
      try {
        result = await next();
      } catch (error) {
        emit(call, { ok: false, error: errors.internal().toJSON() });
        throw error;
      }
      emit(call, result);
      return result;
    },
  };
}
