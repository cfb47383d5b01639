import { expect } from 'vitest';
import type { OrmAI, RunContext, ToolResult } from '@ormai/core';
import type { Sequelize } from 'sequelize';
import type { SequelizeAuditSink } from '@ormai/sequelize';

/**
 * Calls through one OrmAI, remembering how each ended, so a test can check the audit trail holds exactly
 * one record per call with that outcome: committed writes and refusals alike, none lost.
 */
export function auditedCalls(ormai: OrmAI, context: RunContext) {
  const outcomes: string[] = [];
  return {
    outcomes,
    async call(tool: string, input: unknown): Promise<ToolResult> {
      const result = await ormai.callTool(tool, input, context);
      outcomes.push(`${tool} ${result.ok ? 'allowed' : result.error.code}`);
      return result;
    },
    /** Flushes and seals, then: one stored record per call with its outcome, and a chain that verifies. */
    async expectAllAudited(sink: SequelizeAuditSink, auditDb: Sequelize): Promise<void> {
      await ormai.audit.flush();
      await sink.sealAll();
      const { tablePrefix, chain } = sink.location;
      const [rows] = await auditDb.query(`SELECT action, decision FROM ${tablePrefix}_records WHERE chain = $1`, { bind: [chain] });
      const stored = (rows as Array<{ action: string; decision: string }>).map((r) => `${r.action} ${r.decision}`);
      expect(stored.sort()).toEqual([...outcomes].sort());
      expect(await sink.verify()).toMatchObject({ ok: true, count: outcomes.length });
    },
  };
}
