import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TenantRunContext } from '@ormai/core';
import { ormaiTools } from '@ormai/ai-sdk';
import { createDemo } from '../examples/quickstart/src/create-demo.js';
import { expectError, expectOk } from './support/assertions.js';

/** The quickstart demo's domain tool, search_tickets: a search over ticket notes the policy marks 'sanitize'. */
const SUPPORT: TenantRunContext = { tenantId: 'acme', userId: 'support-agent-7' };
const GLOBEX_SUPPORT: TenantRunContext = { tenantId: 'globex', userId: 'support-agent-9' };
const PII = /\+1-555|@(acme|globex)-mail|4111 1111/;

type Tickets = { tickets: Array<{ id: number; notes: string; customer: { name: string } }> };

let demo: Awaited<ReturnType<typeof createDemo>>;
beforeEach(async () => {
  demo = await createDemo();
});
afterEach(async () => {
  await demo.close();
});

describe('quickstart: the search_tickets domain tool', () => {
  it('is offered to the agent next to the generic tools', () => {
    expect(Object.keys(ormaiTools(demo.ormai, { context: SUPPORT }))).toContain('search_tickets');
    expect(demo.ormai.tools().find((t) => t.name === 'search_tickets')).toMatchObject({ access: 'read' });
  });

  it("searches the raw notes of the caller's tenant and returns them scrubbed", async () => {
    const raw = (await demo.models.SupportTicket.findAll({ where: { tenantId: 'acme' }, raw: true })) as unknown as Array<{ id: number; notes: string }>;
    expect(raw.some((t) => PII.test(t.notes))).toBe(true); // the stored notes do hold PII
    const { tickets } = expectOk<Tickets>(await demo.ormai.callTool('search_tickets', { text: 'card' }, SUPPORT));
    const expected = raw.filter((t) => t.notes.includes('card')).map((t) => t.id).sort((a, b) => a - b);
    expect(tickets.map((t) => t.id).sort((a, b) => a - b)).toEqual(expected.slice(0, 10));
    expect(tickets.length).toBeGreaterThan(0);
    for (const ticket of tickets) expect(ticket.notes).not.toMatch(PII);
    expect(tickets.some((t) => t.notes.includes('[card]'))).toBe(true);
    // Globex's support searches Globex's tickets only.
    const globex = expectOk<Tickets>(await demo.ormai.callTool('search_tickets', { text: 'card' }, GLOBEX_SUPPORT)).tickets;
    expect(globex.length).toBeGreaterThan(0);
    for (const ticket of globex) expect(raw.map((t) => t.id)).not.toContain(ticket.id);
  });

  it('refuses a search for personal data, and input its schema does not take', async () => {
    expectError(await demo.ormai.callTool('search_tickets', { text: 'jane@acme-mail.test' }, SUPPORT), 'invalid_input');
    expectError(await demo.ormai.callTool('search_tickets', { text: 'ab' }, SUPPORT), 'invalid_input');
    expectError(await demo.ormai.callTool('search_tickets', { text: 'card', tenant: 'globex' }, SUPPORT), 'invalid_input');
  });

  it('leaves one audit record per call, with its input and outcome', async () => {
    expectOk(await demo.ormai.callTool('search_tickets', { text: 'refund', status: 'open' }, SUPPORT));
    await demo.ormai.audit.flush();
    const [rows] = await demo.sequelize.query("SELECT action, decision, model, rows_returned, payload FROM ormai_audit_records WHERE action = 'search_tickets'");
    expect(rows).toHaveLength(1);
    const [record] = rows as Array<{ decision: string; model: string; rows_returned: number; payload: string }>;
    expect(record).toMatchObject({ decision: 'allowed', model: 'SupportTicket' });
    expect(JSON.parse(record!.payload).input).toEqual({ text: 'refund', status: 'open' });
  });
});
