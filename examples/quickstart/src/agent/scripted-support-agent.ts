import { scriptedModel, type ScriptView, type ToolResultView } from '@ormai/ai-sdk/testing';

/**
 * The offline stand-in for a real model: a support agent that behaves like one would, including the
 * mistakes OrmAI exists for. Each turn reads the tool results it was actually sent, so the retry after
 * the scan budget uses the indexed field the error suggested.
 */
const STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'refunded'];

type Output = {
  error?: { code: string; details?: { indexedFields?: string[] } };
  rows?: Array<Record<string, unknown>>;
  value?: number;
  tickets?: Array<Record<string, unknown>>;
};
const out = (r: ToolResultView | undefined) => (r?.output ?? {}) as Output;

function answer(view: ScriptView): string {
  const history = view.prompt.flatMap((m) => (m.role === 'tool' ? m.content : []));
  const results = history.flatMap((p) => (p.type === 'tool-result' && p.output.type === 'json' ? [{ toolName: p.toolName, output: p.output.value }] : []));
  const tickets = results.find((r) => r.toolName === 'db_query' && Array.isArray(out(r).rows) && 'subject' in (out(r).rows?.[0] ?? {}));
  const ticketCount = results.find((r) => r.toolName === 'db_aggregate' && typeof out(r).value === 'number');
  const revenue = view.lastToolResults.map((r, i) => `${STATUSES[i]} $${((out(r).value ?? 0) / 100).toFixed(2)}`);
  const callbacks = out(results.find((r) => r.toolName === 'search_tickets')).tickets ?? [];
  const first = out(tickets).rows?.[0];
  return [
    `There are ${out(ticketCount).value} open support tickets; the first listed is "${first?.subject}" from ${(first?.customer as { name?: string })?.name}.`,
    `${callbacks.length} open ticket(s) ask for a callback${callbacks[0] ? `, e.g. "${callbacks[0].notes}"` : ''}.`,
    'I cannot compare with Globex: the data is limited to your own company.',
    'Password hashes are not available to me, so I cannot help with that part of the migration.',
    `Revenue by order status: ${revenue.join(', ')}.`,
  ].join('\n');
}

export function scriptedSupportAgent() {
  return scriptedModel((view) => {
    const last = view.lastToolResults;
    switch (view.step) {
      case 0:
        return { text: 'Let me look at what data I can use.', toolCalls: [{ toolName: 'db_describe_schema', input: {} }] };
      case 1:
        return {
          toolCalls: [
            { toolName: 'db_aggregate', input: { model: 'SupportTicket', op: 'count', where: { field: 'status', op: 'eq', value: 'open' } } },
            {
              toolName: 'db_query',
              input: { model: 'SupportTicket', where: { field: 'status', op: 'eq', value: 'open' }, limit: 5, include: [{ relation: 'customer', select: ['name', 'email', 'phone'] }] },
            },
            // The task-shaped tool: a search over the notes, which the generic tools may not filter on.
            { toolName: 'search_tickets', input: { text: 'callback', status: 'open' } },
          ],
        };
      case 2:
        // A model that takes "compare with Globex" literally tries to forge the tenant.
        return { toolCalls: [{ toolName: 'db_aggregate', input: { model: 'Order', op: 'count', where: { field: 'tenantId', op: 'eq', value: 'globex' } } }] };
      case 3:
        return { toolCalls: [{ toolName: 'db_query', input: { model: 'Customer', select: ['name', 'email', 'passwordHash'], limit: 5 } }] };
      case 4:
        return { toolCalls: [{ toolName: 'db_aggregate', input: { model: 'Order', op: 'sum', field: 'totalCents', groupBy: ['status'] } }] };
      case 5: {
        const error = out(last[0]).error;
        const field = error?.code === 'scan_budget_exceeded' && error.details?.indexedFields?.includes('status') ? 'status' : null;
        if (!field) return { text: 'I could not compute revenue within the budget.' };
        return {
          // The budget is per statement: each of these reads only the orders of one status, through the index.
          text: 'One aggregate over every order is too broad for the scan budget; I will sum each status separately, filtering on the indexed status field.',
          toolCalls: STATUSES.map((value) => ({ toolName: 'db_aggregate', input: { model: 'Order', op: 'sum', field: 'totalCents', where: { field, op: 'eq', value } } })),
        };
      }
      default:
        return { text: answer(view) };
    }
  });
}
