import { ERROR_CODES, type ToolResult } from '@ormai/core';
import type { PropertyFixture } from './property-fixture.js';
import { AGENT_A } from './property-fixture.js';
import { findLeak, TENANT_B, tableChecksum } from './property-schema.js';

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
  const [before, otherBefore] = await Promise.all([tableChecksum(sequelize), tableChecksum(sequelize, TENANT_B)]);
  const auditBefore = fixture.audit.links.length;
  const result = await fixture.ormai.callTool(tool as never, input, AGENT_A);
  assertStructured(tool, result);
  const leak = findLeak(result);
  if (leak) throw new PropertyViolation(`${tool}: ${leak} in the result: ${JSON.stringify(result).slice(0, 500)}`);
  await fixture.ormai.audit.flush();
  const records = fixture.audit.all().slice(auditBefore);
  if (records.length !== 1) throw new PropertyViolation(`${tool}: ${records.length} audit records for one call`);
  const auditLeak = findLeak(records);
  if (auditLeak) throw new PropertyViolation(`${tool}: ${auditLeak} in the audit record: ${JSON.stringify(records).slice(0, 500)}`);
  if (records[0]!.decision !== (result.ok ? 'allowed' : result.error.code)) throw new PropertyViolation(`${tool}: audit decision ${records[0]!.decision} for ${JSON.stringify(result).slice(0, 200)}`);
  const [after, otherAfter] = await Promise.all([tableChecksum(sequelize), tableChecksum(sequelize, TENANT_B)]);
  if (otherAfter !== otherBefore) throw new PropertyViolation(`${tool}: tenant B's rows changed`);
  if ((readOnly || !result.ok) && after !== before) throw new PropertyViolation(`${tool}: the database changed on a ${result.ok ? 'read or preview' : 'refused call'}`);
  return result;
}
