import { hmacHex } from '../crypto.js';
import { canonicalJson } from '../policy/canonical-json.js';
import type { AuditPayload, AuditRecord } from '../spec/audit.js';
import type { BoundPolicy } from '../spec/bound-policy.js';
import type { PipelineCall } from '../spec/pipeline.js';
import type { ToolResult } from '../spec/tools.js';
import { checkInputShape, MAX_INPUT_DEPTH } from '../tools/input-depth.js';
import { payloadDigestOf } from './stored-record.js';
import { sanitizeAuditInput } from './sanitize-input.js';
import type { DomainInputAudit } from '../tools/domain/domain-offer.js';
import { cleanJson, cleanText } from './clean-text.js';

export interface RecordDeps {
  bound: BoundPolicy;
  policyHash: string;
  version: string;
  /** Keys the raw input's HMAC. */
  inputKey: Uint8Array;
  /** Keys the `hash` mask, so masked values in records match what the agent saw. */
  hashKey: Uint8Array;
  clock: () => number;
  traceContext?: (() => { traceId: string; spanId: string } | undefined) | undefined;
  /** How a domain tool call's input is recorded; undefined for any other call. */
  domainInput?: ((call: PipelineCall) => DomainInputAudit | undefined) | undefined;
}

const MAX_ID_CHARS = 200;
const MAX_HMAC_VALUES = 64 * 1024;

/** Identifiers from an unvalidated context: strings only, cleaned and capped (an invalid context is recorded as far as it is safe). */
const idOf = (value: unknown): string | null => (typeof value === 'string' ? cleanText(value, MAX_ID_CHARS) : null);

/** A tool name is chosen by whoever calls `callTool` (a model, in a generic router): it is text like any other. */
const MAX_ACTION_CHARS = 100;

function inputHmac(key: Uint8Array, input: unknown): string {
  try {
    // The same bounds as the input check: an oversized or cyclic input is refused, and its HMAC says so.
    if (checkInputShape(input, { maxDepth: MAX_INPUT_DEPTH, maxValues: MAX_HMAC_VALUES }) !== 'ok') return hmacHex(key, '\u0000oversized');
    return hmacHex(key, canonicalJson(input ?? null));
  } catch {
    return hmacHex(key, '\u0000unserializable');
  }
}

/** The audit record of one finished call (or of a write about to commit: `result` is then its success). */
export function buildRecord(call: PipelineCall, result: ToolResult, deps: RecordDeps): AuditRecord {
  const context = (call.context ?? {}) as unknown as Record<string, unknown>;
  const facts = call.facts;
  const trace = facts.trace ?? deps.traceContext?.();
  const sanitized = (deps.domainInput?.(call) ?? ((input, bound, key) => sanitizeAuditInput(call.action, input, bound, key)))(call.input, deps.bound, deps.hashKey);
  const reason = facts.reason !== undefined ? sanitizeAuditInput('reason', { reason: facts.reason }, deps.bound, deps.hashKey).reason : sanitized.reason;
  const subjects = (facts.subjects ?? []).map((s) => ({ model: s.model, id: cleanText(s.id, MAX_ID_CHARS) }));
  const payload: AuditPayload = { input: cleanJson(sanitized.input), reason: reason === null ? null : cleanText(reason), subjects };
  return {
    id: call.id,
    at: call.startedAt,
    durationMs: Math.max(0, deps.clock() - call.startedAt),
    action: cleanText(call.action, MAX_ACTION_CHARS),
    tenantId: idOf(context.tenantId),
    userId: idOf(context.userId),
    roles: Array.isArray(context.roles) ? context.roles.slice(0, 20).flatMap((r) => (typeof r === 'string' ? [cleanText(r, MAX_ID_CHARS)] : [])) : [],
    sessionId: idOf(context.sessionId),
    requestId: idOf(context.requestId),
    traceId: trace?.traceId ?? idOf(context.traceId),
    spanId: trace?.spanId ?? null,
    toolCallId: idOf(call.options.toolCallId),
    runId: idOf(call.options.runId),
    policyHash: deps.policyHash,
    version: deps.version,
    decision: result.ok ? 'allowed' : result.error.code,
    model: facts.model ?? null,
    inputHmac: inputHmac(deps.inputKey, call.input),
    // A failed call returned nothing and changed nothing (a write's transaction rolled back).
    rowsReturned: result.ok ? (facts.rowsReturned ?? null) : null,
    rowsAffected: result.ok ? (facts.rowsAffected ?? null) : null,
    approvalId: facts.approvalId === undefined ? null : cleanText(facts.approvalId, MAX_ID_CHARS),
    approvers: (facts.approvers ?? []).map((a) => cleanText(a, MAX_ID_CHARS)),
    subjectCount: subjects.length,
    payloadDigest: payloadDigestOf(payload),
    payload,
  };
}
