'use client';

import { useChat } from '@ai-sdk/react';
import { DefaultChatTransport, isToolUIPart, lastAssistantMessageIsCompleteWithApprovalResponses } from 'ai';
import { useState, type FormEvent } from 'react';
import { structuredErrorOf } from '@/lib/structured-error';
import { ErrorNotice } from './error-notice';
import { ToolCard } from './tool-card';
import { useMounted } from './use-mounted';

/** The chat: messages, tool calls as cards, approve/deny for writes, and the request's own errors (429...). */
export function Chat({ suggestions }: { suggestions: string[] }) {
  const { messages, sendMessage, addToolApprovalResponse, status, error } = useChat({
    transport: new DefaultChatTransport({ api: '/api/chat' }),
    // Once the user approved or denied every write of the last answer, send it back to run (or skip) them.
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
  });
  const [input, setInput] = useState('');
  const mounted = useMounted();
  const working = status === 'submitted' || status === 'streaming';
  const busy = !mounted || working;

  const send = (text: string) => {
    if (!text.trim() || busy) return;
    void sendMessage({ text });
    setInput('');
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send(input);
  };

  return (
    <div className="chat">
      <ol className="messages">
        {messages.map((message) => (
          <li key={message.id} className={`message ${message.role}`} data-testid={`message-${message.role}`}>
            {message.parts.map((part, i) => {
              if (part.type === 'text') return <p key={i}>{part.text}</p>;
              if (isToolUIPart(part)) {
                return <ToolCard key={part.toolCallId} part={part} onDecide={(approved) => void addToolApprovalResponse({ id: part.approval!.id, approved })} />;
              }
              return null;
            })}
          </li>
        ))}
      </ol>
      {error && <ErrorNotice testId="chat-error" error={structuredErrorOf(error.message) ?? { code: 'network_error', message: 'The request failed.', retryable: true, suggestion: 'Try again.', details: {} }} />}
      <div className="suggestions">
        {suggestions.map((text) => (
          <button key={text} type="button" onClick={() => send(text)} disabled={busy}>
            {text}
          </button>
        ))}
      </div>
      <form onSubmit={onSubmit} className="composer">
        <input data-testid="chat-input" value={input} onChange={(e) => setInput(e.target.value)} placeholder="Ask about tickets, orders, refunds..." disabled={!mounted} autoFocus />
        <button type="submit" data-testid="chat-send" disabled={busy || !input.trim()}>
          Send
        </button>
      </form>
      <p className="muted" data-testid="chat-status" data-status={status}>
        {working ? 'The agent is working...' : ' '}
      </p>
    </div>
  );
}
