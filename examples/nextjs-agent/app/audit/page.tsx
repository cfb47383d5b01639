import { agentApp } from '@/lib/agent-app';
import { requireSession } from '@/lib/current-session';
import { displayName } from '@/lib/demo-users';
import { tenantAuditRecords } from '@/lib/tenant-audit';

/** The audit trail of the signed-in user's tenant, and of no other: one record per call, whatever its outcome. */
export default async function AuditPage() {
  const { user } = await requireSession();
  const records = await tenantAuditRecords(await agentApp(), user.tenantId);
  return (
    <section>
      <h1>Audit trail</h1>
      <p className="muted">The latest {records.length} records of {user.tenantName}: every tool call and approval decision, allowed or refused.</p>
      <div className="table-wrap">
        <table data-testid="audit-table">
          <thead>
            <tr>
              <th>Time</th>
              <th>User</th>
              <th>Action</th>
              <th>Model</th>
              <th>Decision</th>
              <th>Rows</th>
              <th>Reason</th>
              <th>Approvers</th>
            </tr>
          </thead>
          <tbody>
            {records.map((r) => (
              <tr key={r.id} data-testid="audit-row" data-action={r.action} data-decision={r.decision} data-tenant={r.tenantId ?? ''}>
                <td>{new Date(r.at).toISOString().replace('T', ' ').slice(0, 19)}</td>
                <td data-column="user">{displayName(r.userId)}</td>
                <td>
                  <code>{r.action}</code>
                </td>
                <td>{r.model}</td>
                <td className={r.decision === 'allowed' ? 'ok' : 'refused'}>{r.decision}</td>
                <td>{r.rowsAffected ?? r.rowsReturned ?? ''}</td>
                <td>{r.payload.reason}</td>
                <td data-column="approvers">{r.approvers.map(displayName).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
