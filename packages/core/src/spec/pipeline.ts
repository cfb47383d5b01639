import type { RunContext } from './context.js';
import type { SubjectRef } from './audit.js';
import type { ToolResult } from './tools.js';

/** Where a call came from, and what the host knows about it beyond the run context. */
export interface CallOptions {
  /** The agent run (AI SDK): groups calls for the per-run step budget and the audit. */
  runId?: string | undefined;
  /** The AI SDK's tool call id. */
  toolCallId?: string | undefined;
}

/** What a handler learned while answering, for middleware that report on the call (audit, spans, logs). */
export interface CallFacts {
  model?: string;
  rowsReturned?: number;
  rowsAffected?: number;
  reason?: string;
  approvalId?: string;
  approvers?: string[];
  subjects?: SubjectRef[];
  /** Set by the pipeline when the active span is known (e.g. by the OpenTelemetry middleware). */
  trace?: { traceId: string; spanId: string };
}

/** One call on its way through the pipeline. `input` and `context` are as received: untrusted. */
export interface PipelineCall {
  readonly id: string;
  /** A tool name, or an approvals action (`approvals.approve`, `approvals.deny`, `approvals.expire`, `approvals.execute`). */
  readonly action: string;
  readonly input: unknown;
  readonly context: RunContext | null;
  readonly options: CallOptions;
  /** For a call of a tool this instance offers: whether the tool reads or writes (quotas count writes). */
  readonly access?: 'read' | 'write' | undefined;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  readonly facts: CallFacts;
}

/**
 * Wraps every call, whatever its route (`call`, the approvals API, the AI SDK adapter). Middleware may
 * observe, add facts, or answer in place of `next` (a refusal is a `ToolResult` with `ok: false`).
 * Audit is always outermost, so a refusal by any middleware is recorded too.
 */
export interface CallMiddleware {
  readonly name: string;
  wrapCall(call: PipelineCall, next: () => Promise<ToolResult>): Promise<ToolResult>;
}
