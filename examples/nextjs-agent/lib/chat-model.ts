import { openai } from '@ai-sdk/openai';
import type { LanguageModel } from 'ai';
import { scriptedSupportChat } from './scripted-support-chat';

/** OpenAI when OPENAI_API_KEY is set (OPENAI_MODEL, default gpt-4o-mini); else the scripted offline model. */
export function chatModel(): LanguageModel {
  if (!process.env.OPENAI_API_KEY) return scriptedSupportChat();
  return openai(process.env.OPENAI_MODEL ?? 'gpt-4o-mini');
}

export const modelLabel = (): string => (process.env.OPENAI_API_KEY ? `OpenAI ${process.env.OPENAI_MODEL ?? 'gpt-4o-mini'}` : 'scripted offline model');
