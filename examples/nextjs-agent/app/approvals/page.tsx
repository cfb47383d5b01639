import type { ApprovalRecord } from '@ormai/core';
import { ApprovalButtons } from '@/components/approval-buttons';
import { agentApp } from '@/lib/agent-app';
import { requireSession } from '@/lib/current-session';
import { displayName } from '@/lib/demo-users';

const time = (ms: number | undefined) => (ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '');

const approvedBy = (record: ApprovalRecord) =>
  record.approvals.filter((a) => a.approvedBy).map((a) => `${displayName(a.approvedBy)} for ${a.rule}`).join(', ');

/** The tenant's gated writes. Those with a role a pending request's rule names see approve/deny. */
export default async function ApprovalsPage() {
  const session = await requireSession();
  const { ormai } = await agentApp();
  const records = (await ormai.approvals.list({ tenantId: session.user.tenantId })).sort((a, b) => b.createdAt - a.createdAt);
  const canDecide = (record: ApprovalRecord) =>
    record.status === 'pending' && record.requestedBy !== session.user.id && record.approvals.some((a) => a.approverRoles.some((role) => session.user.roles.includes(role)));
  return (
    <section>
      <h1>Approvals</h1>
      <p className="muted">Writes the policy holds for a person with the right role. The write runs once, as its requester, when approved.</p>
      {records.length === 0 && <p>No requests for {session.user.tenantName}.</p>}
      {records.map((record) => (
        <article key={record.id} className="approval" data-testid="approval" data-approval-id={record.id} data-status={record.status}>
          <header>
            <code>{record.tool}</code> on {record.model}
            {record.args.id !== undefined ? ` #${String(record.args.id)}` : ''} · <span className="badge" data-testid="approval-status">{record.status}</span>
          </header>
          <dl>
            <dt>Change</dt>
            <dd>
              <code>{JSON.stringify(record.args.values ?? record.args)}</code>
            </dd>
            <dt>Reason</dt>
            <dd>{record.reason}</dd>
            <dt>Rules</dt>
            <dd>{record.approvals.map((a) => `${a.rule} (${a.approverRoles.join(' or ')})`).join(', ')}</dd>
            <dt>Requested</dt>
            <dd>
              {displayName(record.requestedBy)} at {time(record.createdAt)} · expires {time(record.expiresAt)}
            </dd>
            {record.decidedBy && (
              <>
                <dt>Decided</dt>
                <dd data-testid="approval-decided-by">
                  {displayName(record.decidedBy)} at {time(record.decidedAt)}
                  {record.decisionNote ? `: ${record.decisionNote}` : ''}
                </dd>
              </>
            )}
            {approvedBy(record) && (
              <>
                <dt>Approved by</dt>
                <dd data-testid="approval-approved-by">{approvedBy(record)}</dd>
              </>
            )}
            {record.executedAt && (
              <>
                <dt>Executed</dt>
                <dd data-testid="approval-executed">{time(record.executedAt)}</dd>
              </>
            )}
          </dl>
          {canDecide(record) && <ApprovalButtons id={record.id} />}
        </article>
      ))}
    </section>
  );
}
