import { ERROR_CODES, fromStoredRecord, type ToolResult } from '@ormai/core';
import { ANY_TENANT, changeCounts } from './change-counter.js';
import type { PropertyFixture } from './property-fixture.js';
import { AGENT_A } from './property-fixture.js';
import { findLeak, TENANT_A, TENANT_B } from './property-schema.js';

/** Thrown by a check: fast-check reports it with the input that caused it, shrunk. */
export class PropertyViolation extends Error {}

const READ_TOOLS = new Set(['db_query', 'db_get', 'db_aggregate', 'db_describe_schema']);

function assertStructured(tool: string, result: ToolResult): void {
  if (result.ok) return;
  const { error } = result;
  if (!(ERROR_CODES as readonly string[]).includes(error.code)) throw new PropertyViolation(`${tool}: unknown error code ${String(error.code)}`);
  if (error.code === 'internal_error') throw new PropertyViolation(`${tool}: internal_error (an unexpected failure reached the agent)`);
  if (typeof error.message !== 'string' || typeof error.retryable !== 'boolean' || typeof error.suggestion !== 'string') {
    throw new PropertyViolation(`${tool}: refusal is not a structured ErrorPayload: ${JSON.stringify(error)}`);
  }
}

/**
 * One call as tenant A, with every invariant of issue 14 checked: a known structured error or a
 * result; no leak marker in the result or in the audit records the call left; the other tenant's rows
 * untouched; and, for reads, refusals and previews, no row changed at all.
 */
export async function checkedCall(fixture: PropertyFixture, tool: string, input: unknown): Promise<ToolResult> {
  const { sequelize } = fixture.db;
  const readOnly = READ_TOOLS.has(tool) || tool === 'db_preview_write';
  const before = await changeCounts(sequelize);
  const auditBefore = fixture.audit.links.length;
  const result = await fixture.ormai.callTool(tool as never, input, AGENT_A);
  assertStructured(tool, result);
  const leak = findLeak(result);
  if (leak) throw new PropertyViolation(`${tool}: ${leak} in the result: ${JSON.stringify(result).slice(0, 500)}`);
  await fixture.ormai.audit.flush();
  const records = fixture.audit.links.slice(auditBefore).map((link) => fromStoredRecord(fixture.audit.records.get(link.recordId)!));
  if (records.length !== 1) throw new PropertyViolation(`${tool}: ${records.length} audit records for one call`);
  const auditLeak = findLeak(records);
  if (auditLeak) throw new PropertyViolation(`${tool}: ${auditLeak} in the audit record: ${JSON.stringify(records).slice(0, 500)}`);
  if (records[0]!.decision !== (result.ok ? 'allowed' : result.error.code)) throw new PropertyViolation(`${tool}: audit decision ${records[0]!.decision} for ${JSON.stringify(result).slice(0, 200)}`);
  const after = await changeCounts(sequelize);
  if (after[TENANT_B] !== before[TENANT_B]) throw new PropertyViolation(`${tool}: tenant B's rows changed`);
  if ((readOnly || !result.ok) && after[ANY_TENANT] !== before[ANY_TENANT]) throw new PropertyViolation(`${tool}: the database changed on a ${result.ok ? 'read or preview' : 'refused call'}`);
  // Every changed row counts once in total and once for its tenant: more in total means a row outside tenant A.
  const changed = (tenant: string) => after[tenant]! - before[tenant]!;
  if (changed(ANY_TENANT) !== changed(TENANT_A)) throw new PropertyViolation(`${tool}: a row outside tenant A changed`);
  return result;
}
