import { simulateReadableStream } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import type { LanguageModelV3Content, LanguageModelV3Prompt, LanguageModelV3StreamPart, LanguageModelV3Usage } from '@ai-sdk/provider';

/**
 * A scripted language model for tests and offline demos, built on the AI SDK's own mock: each turn is
 * decided from what the model was actually sent, including the results of its previous tool calls.
 */
export interface ScriptedTurn {
  text?: string;
  toolCalls?: Array<{ toolName: string; input: unknown }>;
}

export interface ToolResultView {
  toolName: string;
  output: unknown;
}

export interface ScriptView {
  /** 0 for the first call of a run. */
  step: number;
  prompt: LanguageModelV3Prompt;
  /** Results of the tool calls that ended the previous step (JSON outputs unwrapped). */
  lastToolResults: ToolResultView[];
}

const USAGE: LanguageModelV3Usage = {
  inputTokens: { total: 0, noCache: 0, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 0, text: 0, reasoning: 0 },
};

function view(prompt: LanguageModelV3Prompt): ScriptView {
  const step = prompt.filter((m) => m.role === 'assistant').length;
  const last = prompt.at(-1);
  const lastToolResults =
    last?.role === 'tool'
      ? last.content.flatMap((part) =>
          part.type === 'tool-result' ? [{ toolName: part.toolName, output: 'value' in part.output ? part.output.value : part.output }] : [],
        )
      : [];
  return { step, prompt, lastToolResults };
}

function content(turn: ScriptedTurn, step: number): LanguageModelV3Content[] {
  const calls = (turn.toolCalls ?? []).map((call, i) => ({
    type: 'tool-call' as const,
    toolCallId: `call-${step}-${i}`,
    toolName: call.toolName,
    input: JSON.stringify(call.input),
  }));
  return [...(turn.text ? [{ type: 'text' as const, text: turn.text }] : []), ...calls];
}

const finishReason = (turn: ScriptedTurn) =>
  turn.toolCalls?.length ? { unified: 'tool-calls' as const, raw: 'tool_calls' } : { unified: 'stop' as const, raw: 'stop' };

export function scriptedModel(next: (view: ScriptView) => ScriptedTurn): MockLanguageModelV3 {
  return new MockLanguageModelV3({
    doGenerate: async ({ prompt }) => {
      const v = view(prompt);
      const turn = next(v);
      return { content: content(turn, v.step), finishReason: finishReason(turn), usage: USAGE, warnings: [] };
    },
    doStream: async ({ prompt }) => {
      const v = view(prompt);
      const turn = next(v);
      const chunks: LanguageModelV3StreamPart[] = [{ type: 'stream-start', warnings: [] }];
      for (const part of content(turn, v.step)) {
        if (part.type === 'text') {
          const id = `text-${v.step}`;
          chunks.push({ type: 'text-start', id }, { type: 'text-delta', id, delta: part.text }, { type: 'text-end', id });
        } else if (part.type === 'tool-call') {
          chunks.push(part);
        }
      }
      chunks.push({ type: 'finish', finishReason: finishReason(turn), usage: USAGE });
      return { stream: simulateReadableStream({ chunks }) };
    },
  });
}
