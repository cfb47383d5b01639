import { allowsTool, type GenericToolName, type Policy, type WriteOperation } from '@ormai/core';

/** Every generic tool, in the order the reports list them. */
export const GENERIC_TOOLS: GenericToolName[] = ['db_describe_schema', 'db_query', 'db_get', 'db_aggregate', 'db_create', 'db_update', 'db_delete', 'db_bulk_update', 'db_preview_write', 'db_approval_status'];

/** The generic tool that makes each write operation. */
export const WRITE_TOOL: Record<WriteOperation, GenericToolName> = { create: 'db_create', update: 'db_update', delete: 'db_delete', bulk_update: 'db_bulk_update' };

/**
 * The generic tools that can touch `model`: switched on for it and, for a write tool, its operation
 * allowed (a preview needs any write). db_approval_status reads approvals by id, not a model: not listed.
 */
export function toolsForModel(policy: Policy, model: string, operations: readonly WriteOperation[]): GenericToolName[] {
  const writes = new Set(operations.map((op) => WRITE_TOOL[op]));
  const reaches = (tool: GenericToolName) =>
    tool === 'db_approval_status' ? false : tool === 'db_preview_write' ? writes.size > 0 : Object.values(WRITE_TOOL).includes(tool) ? writes.has(tool) : true;
  return GENERIC_TOOLS.filter((tool) => reaches(tool) && allowsTool(policy, model, tool));
}
