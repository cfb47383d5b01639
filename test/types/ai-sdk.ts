/**
 * Type tests for @ormai/ai-sdk: its tools and stop conditions go straight into generateText and
 * streamText under strict + exactOptionalPropertyTypes. Compiled only, never run.
 */
import { generateText, streamText, type LanguageModel } from 'ai';
import { ormaiStopWhen, ormaiTools } from '@ormai/ai-sdk';
import type { OrmAI } from '@ormai/core';

declare const model: LanguageModel;
declare const ormai: OrmAI;

export async function agentLoop(): Promise<string> {
  const tools = ormaiTools(ormai, { maxToolCalls: 10 });
  const result = await generateText({ model, tools, stopWhen: ormaiStopWhen(), prompt: 'How many open orders?' });
  streamText({ model, tools: ormaiTools(ormai), stopWhen: ormaiStopWhen({ maxSteps: 5 }), prompt: 'And closed ones?' });
  return result.text;
}
