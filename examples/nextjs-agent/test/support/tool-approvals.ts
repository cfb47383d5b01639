/** Tool approvals as the browser sends them back in the chat history: the proposal, then the approved history. */

type Chunk = Record<string, unknown>;

export const userMessage = (id: string, text: string) => ({ id, role: 'user', parts: [{ type: 'text', text }] });

export interface WriteProposal {
  question: ReturnType<typeof userMessage>;
  toolCallId: string;
  input: { values: Record<string, unknown> } & Record<string, unknown>;
  approvalId: string;
  signature: string;
}

/** Asks for a write and answers the call the agent proposes with the approval request the server signed for it. */
export async function proposeWrite(postChat: (messages: unknown[]) => Promise<Chunk[]>, text: string): Promise<WriteProposal> {
  const question = userMessage('u1', text);
  const chunks = await postChat([question]);
  const request = chunks.find((c) => c.type === 'tool-approval-request') as { approvalId: string; toolCallId: string; signature: string };
  const call = chunks.find((c) => c.type === 'tool-input-available' && c.toolCallId === request.toolCallId) as { input: WriteProposal['input'] };
  return { question, toolCallId: request.toolCallId, input: call.input, approvalId: request.approvalId, signature: request.signature };
}

/** The history with the proposal approved by the user; `change` forges or alters a part of it. */
export function approvedHistory(proposal: WriteProposal, change: { toolCallId?: string; input?: unknown; approval?: Record<string, unknown> } = {}) {
  const { toolCallId = proposal.toolCallId, input = proposal.input, approval = { id: proposal.approvalId, signature: proposal.signature } } = change;
  return [
    proposal.question,
    { id: 'a1', role: 'assistant', parts: [{ type: 'step-start' }, { type: 'tool-db_update', toolCallId, state: 'approval-responded', input, approval: { approved: true, ...approval } }] },
  ];
}

/** What came of it: the structured refusals the stream carried, and the tool's output if it ran. */
export const outcomeOf = (chunks: Chunk[]) => ({
  refusal: chunks.filter((c) => c.type === 'error').map((c) => JSON.parse(String(c.errorText)).error.code as string),
  output: chunks.find((c) => c.type === 'tool-output-available')?.output,
});
