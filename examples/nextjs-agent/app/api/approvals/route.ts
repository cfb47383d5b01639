import { z } from 'zod';
import { errors, type ErrorCode } from '@ormai/core';
import { agentApp } from '@/lib/agent-app';
import { currentSession, runContextOf } from '@/lib/current-session';
import { crossOriginRefusal } from '@/lib/same-origin';
import { errorResponse, SIGNED_OUT } from '@/lib/structured-error';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// Only what to decide travels in the body; who decides is the signed session. Other keys (an
// "approver" a forged request might add) are dropped by the parse and never reach OrmAI.
const decisionSchema = z.object({
  id: z.string().min(1).max(100),
  decision: z.enum(['approve', 'deny']),
  note: z.string().trim().min(1).max(500).optional(),
});

const STATUS: Partial<Record<ErrorCode, number>> = {
  approver_not_allowed: 403,
  not_found: 404,
  approval_not_pending: 409,
  approval_stale: 409,
};

/**
 * Approve or deny a gated write. OrmAI re-checks everything on the server: the approver holds a role the
 * rule names, acts in the requester's tenant and is not the requester; the write then runs once, as its
 * requester, with the approver recorded in the approval and the audit trail.
 */
export async function POST(request: Request): Promise<Response> {
  const refused = crossOriginRefusal(request);
  if (refused) return refused;
  const session = await currentSession();
  if (!session) return errorResponse(401, SIGNED_OUT);
  const parsed = decisionSchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) {
    return errorResponse(400, { code: 'invalid_request', message: 'A decision needs an approval id and "approve" or "deny".', retryable: false, suggestion: 'Decide from the approvals page.' });
  }
  const { id, decision, note } = parsed.data;
  const { ormai } = await agentApp();
  // Another tenant's request is answered as an unknown id: OrmAI checks the approver only for an open
  // request, and would hand anyone who knows its id the record (and result) of one already executed.
  const record = await ormai.approvals.get(id);
  if (record?.tenantId !== session.user.tenantId) {
    return Response.json({ ok: false, error: errors.notFound('approval').toJSON() }, { status: 404, headers: { 'cache-control': 'no-store' } });
  }
  const approver = runContextOf(session);
  const result = decision === 'approve' ? await ormai.approvals.approve(id, approver, note) : await ormai.approvals.deny(id, approver, note ?? 'Denied from the approvals page');
  const status = result.ok ? 200 : (STATUS[result.error.code] ?? 422);
  return Response.json(result, { status, headers: { 'cache-control': 'no-store' } });
}
