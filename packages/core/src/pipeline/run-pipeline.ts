import type { CallMiddleware, PipelineCall } from '../spec/pipeline.js';
import type { ToolResult } from '../spec/tools.js';

export type CallHandler = (call: PipelineCall) => Promise<ToolResult>;

/** Runs `call` through the middleware, outermost first, then the handler. Each `next` runs the rest once. */
export function runPipeline(middleware: readonly CallMiddleware[], call: PipelineCall, handler: CallHandler): Promise<ToolResult> {
  const dispatch = (index: number): Promise<ToolResult> => {
    const current = middleware[index];
    if (!current) return handler(call);
    let ran: Promise<ToolResult> | null = null;
    return current.wrapCall(call, () => (ran ??= dispatch(index + 1)));
  };
  return dispatch(0);
}
