import { defineTool, type DomainTool, type PolicySpec } from '@ormai/core';
import { z } from 'zod';

/**
 * Tool switches over the shop's policy: no aggregates anywhere, Customer left to domain tools only,
 * Order read-only for the generic tools (its refund rule then unreachable by them), SupportTicket by
 * id and update only.
 */
export function switchShopTools(spec: PolicySpec): void {
  spec.tools = ['db_describe_schema', 'db_query', 'db_get', 'db_create', 'db_update', 'db_delete', 'db_bulk_update', 'db_preview_write'];
  spec.models.Customer!.tools = [];
  spec.models.Order!.tools = ['db_query', 'db_get'];
  spec.models.SupportTicket!.tools = ['db_get', 'db_update'];
}

/** Two task-shaped tools, one of each access, for the CLI to list. */
export function shopDomainTools(): DomainTool[] {
  return [
    defineTool({
      name: 'find_customer',
      description: 'A customer of the current tenant, by id.',
      input: z.object({ id: z.number().int() }),
      access: 'read',
      run: ({ id }, { db }) => db.get({ model: 'Customer', id }),
    }),
    defineTool({
      name: 'close_ticket',
      description: 'Closes a support ticket of the current tenant.',
      input: z.object({ id: z.number().int(), reason: z.string().min(3) }),
      access: 'write',
      run: ({ id, reason }, { db }) => db.update({ model: 'SupportTicket', id, values: { status: 'closed' }, reason }),
    }),
  ] as DomainTool[];
}
