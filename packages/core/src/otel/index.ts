import { trace } from '@opentelemetry/api';

/**
 * The active OpenTelemetry span's ids, for `createOrmAI({ audit: { traceContext: activeTraceContext } })`:
 * each audit record then links to the trace the call ran in. Undefined when no valid span is active.
 */
export function activeTraceContext(): { traceId: string; spanId: string } | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  if (!span || !trace.isSpanContextValid(span)) return undefined;
  return { traceId: span.traceId, spanId: span.spanId };
}
