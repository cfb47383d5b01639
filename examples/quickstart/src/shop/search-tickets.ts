import { z } from 'zod';
import { defineTool } from '@ormai/core';

/**
 * A task-shaped tool for the support agent: tickets whose notes mention some words. Notes are free text
 * (people type phone and card numbers into them), so the policy marks them 'sanitize': no generic tool
 * may filter on them, this search matches the raw text in the database, and every note comes back
 * scrubbed. It runs under the demo's policy like any tool: the caller's tenant only, audited.
 */
export const searchTickets = defineTool({
  name: 'search_tickets',
  description: 'Find support tickets whose notes mention some words (not personal data); notes come back with personal data removed.',
  input: z.strictObject({
    text: z.string().min(3).max(100).describe('Words to look for in the notes'),
    status: z.enum(['open', 'closed']).optional(),
  }),
  access: 'read',
  async run({ text, status }, { db }) {
    const { rows } = await db.search({
      model: 'SupportTicket',
      field: 'notes',
      contains: text,
      select: ['id', 'subject', 'status', 'notes'],
      ...(status ? { where: { field: 'status', op: 'eq', value: status } } : {}),
      limit: 10,
      include: [{ relation: 'customer', select: ['name'] }],
    });
    return { tickets: rows };
  },
});
