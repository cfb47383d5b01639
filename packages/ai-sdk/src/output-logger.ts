import { scrubText, type RunContext } from '@ormai/core';

export interface ModelOutputRecord {
  kind: 'model_output';
  at: string;
  stepNumber: number;
  text: string;
  finishReason?: string;
  userId?: string;
  sessionId?: string;
  requestId?: string;
  traceId?: string;
}

export interface OutputLoggerOptions {
  /** Where records go: a separate channel from the tool audit. */
  sink: (record: ModelOutputRecord) => void | Promise<void>;
  /** Identifies the run in each record; the tenant id is deliberately not copied. */
  context?: Partial<RunContext>;
  scrub?: (text: string) => string;
  clock?: () => Date;
}

interface StepLike {
  text: string;
  finishReason?: string;
}

/**
 * Logs the model's natural-language output, scrubbed of PII and credentials before it is written.
 * Spread the result into generateText/streamText: `{ ...ormaiOutputLogger({ sink }) }`.
 */
export function ormaiOutputLogger(options: OutputLoggerOptions) {
  const scrub = options.scrub ?? scrubText;
  const clock = options.clock ?? (() => new Date());
  let stepNumber = 0;
  const { userId, sessionId, requestId, traceId } = options.context ?? {};
  const ids = Object.fromEntries(Object.entries({ userId, sessionId, requestId, traceId }).filter(([, v]) => v !== undefined));
  return {
    onStepFinish: async (step: StepLike) => {
      const current = stepNumber++;
      if (!step.text.trim()) return;
      await options.sink({
        kind: 'model_output',
        at: clock().toISOString(),
        stepNumber: current,
        text: scrub(step.text),
        ...(step.finishReason ? { finishReason: step.finishReason } : {}),
        ...ids,
      });
    },
  };
}
