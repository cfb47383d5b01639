import { getToolName, type DynamicToolUIPart, type ToolUIPart } from 'ai';
import Link from 'next/link';
import { structuredErrorOf, type StructuredError } from '@/lib/structured-error';
import { ErrorNotice } from './error-notice';
import { ToolResult } from './tool-result';

type ToolPart = ToolUIPart | DynamicToolUIPart;

type Decision =
  | { kind: 'running' | 'confirm' | 'declined' | 'allowed'; label: string }
  | { kind: 'refused' | 'pending_approval'; label: string; error: StructuredError }
  | { kind: 'failed'; label: string; text: string };

/** OrmAI's decision on the call, read from the part's state and its result. */
function decisionOf(part: ToolPart): Decision {
  switch (part.state) {
    case 'approval-requested':
      return { kind: 'confirm', label: 'needs your confirmation' };
    case 'approval-responded':
      return part.approval.approved ? { kind: 'running', label: 'confirmed, running' } : { kind: 'declined', label: 'declined' };
    case 'output-denied':
      return { kind: 'declined', label: 'declined by you' };
    case 'output-error':
      return { kind: 'failed', label: 'failed', text: part.errorText };
    case 'output-available': {
      const error = structuredErrorOf(part.output);
      if (error?.code === 'approval_required') return { kind: 'pending_approval', label: 'pending approval', error };
      return error ? { kind: 'refused', label: `refused: ${error.code}`, error } : { kind: 'allowed', label: 'allowed' };
    }
    default:
      return { kind: 'running', label: 'running' };
  }
}

/** One tool call: what the agent asked, what OrmAI decided, and what came back (already redacted). */
export function ToolCard({ part, onDecide }: { part: ToolPart; onDecide: (approved: boolean) => void }) {
  const name = getToolName(part);
  const decision = decisionOf(part);
  return (
    <article className={`tool-card ${decision.kind}`} data-testid="tool-card" data-tool={name} data-decision={decision.kind}>
      <header>
        <code>{name}</code>
        <span className="badge" data-testid="tool-decision">
          {decision.label}
        </span>
      </header>
      <pre className="call">{JSON.stringify(part.input)}</pre>
      {part.approval?.approved === true && <p className="muted">You confirmed this write.</p>}
      {decision.kind === 'confirm' && (
        <div className="decide">
          <span>The agent wants to change data. Run this write?</span>
          <button type="button" data-testid="approve-write" onClick={() => onDecide(true)}>
            Approve
          </button>
          <button type="button" data-testid="deny-write" onClick={() => onDecide(false)}>
            Deny
          </button>
        </div>
      )}
      {decision.kind === 'allowed' && <ToolResult output={part.output} />}
      {decision.kind === 'refused' && <ErrorNotice error={decision.error} />}
      {decision.kind === 'pending_approval' && (
        <p className="pending" data-testid="pending-approval" data-approval-id={String(decision.error.details.approvalId)}>
          Waiting for {String(decision.error.details.rule)} approval by finance: request <code>{String(decision.error.details.approvalId)}</code> is on the{' '}
          <Link href="/approvals">approvals page</Link>.
        </p>
      )}
      {decision.kind === 'failed' && <p className="error-notice">{decision.text}</p>}
    </article>
  );
}
