import { createHash } from 'node:crypto';
import type { ModelMessage } from 'ai';
import { DataTypes, Op, UniqueConstraintError, type Sequelize } from 'sequelize';

/**
 * Signed tool approvals run once. The AI SDK checks that an approval was issued to this session for this
 * exact call, but not that it has not run already: the browser could send the same approved history
 * again and run the write again. The ledger remembers each approval that was sent to run, in the app's
 * database, so every instance sees it.
 */
export interface ToolApprovalLedger {
  /** Marks these approvals of the session as used: false, and nothing marked, when one of them was used before. */
  claim(sessionId: string, approvalIds: readonly string[]): Promise<boolean>;
}

/**
 * The approvals this request asks to run, found as the AI SDK finds them: approved answers in the last
 * (tool) message whose call has no result there yet.
 */
export function approvalsToRun(messages: readonly ModelMessage[]): string[] {
  const last = messages.at(-1);
  if (last?.role !== 'tool') return [];
  const callOf = new Map<string, string>();
  for (const message of messages) {
    if (message.role !== 'assistant' || typeof message.content === 'string') continue;
    for (const part of message.content) if (part.type === 'tool-approval-request') callOf.set(part.approvalId, part.toolCallId);
  }
  const answered = new Set(last.content.flatMap((part) => (part.type === 'tool-result' ? [part.toolCallId] : [])));
  const approved = last.content.flatMap((part) => (part.type === 'tool-approval-response' && part.approved && !answered.has(callOf.get(part.approvalId) ?? '') ? [part.approvalId] : []));
  return [...new Set(approved)];
}

/** Keyed by a hash of session and approval id (the id comes from the browser: any length, any text). */
const keyOf = (sessionId: string, approvalId: string) => createHash('sha256').update(`${sessionId}\u0000${approvalId}`).digest('hex');

/** `keepMs`: how long a session lives; an approval older than that cannot be sent again by a live session. */
export async function toolApprovalLedger(sequelize: Sequelize, keepMs: number): Promise<ToolApprovalLedger> {
  const Used = sequelize.define(
    'UsedToolApproval',
    { key: { type: DataTypes.STRING(64), primaryKey: true }, usedAt: { type: DataTypes.BIGINT, allowNull: false, field: 'used_at' } },
    { tableName: 'nextjs_agent_used_tool_approvals', timestamps: false },
  );
  await Used.sync();
  return {
    // Single statements, no transaction of its own: one INSERT claims them all or none, and on SQLite in
    // memory (one connection shared by every request) a BEGIN here would collide with OrmAI's own.
    async claim(sessionId, approvalIds) {
      const now = Date.now();
      await Used.destroy({ where: { usedAt: { [Op.lt]: now - keepMs } } });
      try {
        await Used.bulkCreate(approvalIds.map((id) => ({ key: keyOf(sessionId, id), usedAt: now })));
        return true;
      } catch (error) {
        if (error instanceof UniqueConstraintError) return false;
        throw error;
      }
    },
  };
}
