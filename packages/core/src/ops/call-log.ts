import type { CallMiddleware } from '../spec/pipeline.js';
import { callEventBuilder, callEventMiddleware, type CallEvent, type CallEventOptions } from './call-event.js';

export interface CallLogOptions extends CallEventOptions {
  /** Receives what the sink throws (the call's result never depends on the log). Default: ignored. */
  onError?: ((error: unknown) => void) | undefined;
}

/**
 * One structured event per tool call, for your logger: `callLogMiddleware((e) => logger.info(e), { identifiers: 'hashed', key })`.
 * Events carry no input values, reasons or rows (see `CallEvent`); every field is JSON.
 * Add it with `createOrmAI({ middleware })` or `ormai.withMiddleware`: it runs inside the audit, so
 * calls the audit refuses before they start (`audit_unavailable` while its sink is down) are not logged.
 */
export function callLogMiddleware(sink: (event: CallEvent) => void, options: CallLogOptions = {}): CallMiddleware {
  return callEventMiddleware('call-log', callEventBuilder(options, 'callLogMiddleware'), sink, options.onError ?? (() => {}));
}
