import { randomUUID } from 'node:crypto';
import { convertToModelMessages, InvalidToolApprovalError, InvalidToolApprovalSignatureError, safeValidateUIMessages, streamText, ToolCallNotFoundForApprovalError } from 'ai';
import { ormaiStopWhen, ormaiSystemPrompt, ormaiTools } from '@ormai/ai-sdk';
import { agentApp } from '@/lib/agent-app';
import { derivedKey } from '@/lib/app-secret';
import { isChatHistory } from '@/lib/chat-history';
import { chatModel } from '@/lib/chat-model';
import { currentSession, runContextOf } from '@/lib/current-session';
import { crossOriginRefusal } from '@/lib/same-origin';
import { errorBody, errorResponse, SIGNED_OUT } from '@/lib/structured-error';
import { approvalsToRun } from '@/lib/tool-approval-ledger';

// Sequelize and the SQLite driver need Node.js: this route cannot run on the edge.
export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const MAX_MESSAGES = 100;

const APPROVAL_NOT_VERIFIED = {
  code: 'approval_not_verified',
  message: 'This approval was not issued to your session for this exact tool call, so nothing was run.',
  retryable: false,
  suggestion: 'Ask the agent again and approve the change it proposes.',
};

const APPROVAL_USED = {
  code: 'approval_already_used',
  message: 'This approval was already sent to run its tool call: an approval runs once, so nothing was run again.',
  retryable: false,
  suggestion: 'Ask the agent again and approve the change it proposes.',
};

const INTERNAL = { code: 'internal_error', message: 'The agent failed to answer.', retryable: true, suggestion: 'Try again in a moment.' };

/** A tool approval that does not verify: the AI SDK checks each against `experimental_toolApprovalSecret` before running the tool. */
const isUnverifiedApproval = (error: unknown) =>
  InvalidToolApprovalSignatureError.isInstance(error) || InvalidToolApprovalError.isInstance(error) || ToolCallNotFoundForApprovalError.isInstance(error);

/** What the browser sees when the stream fails: never the error's own text. */
const chatErrorText = (error: unknown) => JSON.stringify(errorBody(isUnverifiedApproval(error) ? APPROVAL_NOT_VERIFIED : INTERNAL));

function logStreamError({ error }: { error: unknown }): void {
  if (isUnverifiedApproval(error)) console.warn('chat: refused a tool approval that does not verify (forged, altered or from another session)');
  else console.error('chat: stream failed', error);
}

export async function POST(request: Request): Promise<Response> {
  const refused = crossOriginRefusal(request);
  if (refused) return refused;
  const session = await currentSession();
  if (!session) return errorResponse(401, SIGNED_OUT);
  const body = (await request.json().catch(() => null)) as { messages?: unknown } | null;
  const messages = await safeValidateUIMessages({ messages: body?.messages });
  if (!messages.success || messages.data.length > MAX_MESSAGES || !isChatHistory(messages.data)) {
    return errorResponse(400, { code: 'invalid_request', message: 'The chat request is malformed.', retryable: false, suggestion: 'Reload the page and start again.' });
  }
  const { ormai, toolApprovals } = await agentApp();
  const history = await convertToModelMessages(messages.data);
  // Claimed before anything runs, so the same approved history sent twice runs its writes once.
  const approvals = approvalsToRun(history);
  if (approvals.length > 0 && !(await toolApprovals.claim(session.sessionId, approvals))) return errorResponse(409, APPROVAL_USED);
  const result = streamText({
    model: chatModel(),
    system: `${ormaiSystemPrompt(ormai)}\nYou help the support staff of ${session.user.tenantName}. Be concise.`,
    messages: history,
    // The tenant, user and roles come from the signed session; the model's input never carries them.
    tools: ormaiTools(ormai, { context: runContextOf(session, randomUUID()), confirmWrites: true }),
    stopWhen: ormaiStopWhen(),
    // Approvals travel through the browser: signed per session, so one forged, altered or replayed from
    // another session is refused before any tool runs.
    experimental_toolApprovalSecret: derivedKey(`tool-approval:${session.sessionId}`),
    onError: logStreamError,
  });
  return result.toUIMessageStreamResponse({ onError: chatErrorText });
}
