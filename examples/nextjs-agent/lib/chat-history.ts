import { isToolUIPart, type UIMessage } from 'ai';

const ASSISTANT_PARTS = new Set(['text', 'reasoning', 'step-start']);

/**
 * The history the browser may send back: its user's text, and the assistant's own turns (text,
 * reasoning, steps, tool calls; approvals among them are signed and checked). No system message: the
 * server writes the one system prompt. No file either: a file part is a URL the server would fetch.
 */
export function isChatHistory(messages: readonly UIMessage[]): boolean {
  return messages.every((message) => {
    if (message.role === 'user') return message.parts.every((part) => part.type === 'text');
    if (message.role === 'assistant') return message.parts.every((part) => ASSISTANT_PARTS.has(part.type) || isToolUIPart(part));
    return false;
  });
}
