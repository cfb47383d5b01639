import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errors, ORMAI_VERSION, policyHash } from '@ormai/core';
import { shopPolicy } from '@ormai/example-quickstart/src/shop/policy';
import { startApp, type RunningApp } from './support/app-server';
import { chatPage, RESULTS_DIR } from './support/chat-page';
import { approvedHistory, outcomeOf, proposeWrite, userMessage } from './support/tool-approvals';
import { uiStreamChunks } from './support/ui-stream';
// Debian's Chromium in a fresh profile, as the CLI's review test opens it.
import { openChromium, type Browser } from '../../../packages/cli/src/review/test-support/chromium.js';

/** POSTs to /api/chat and /api/approvals per session and minute in this run; every test signs in afresh. */
const SESSION_LIMIT = 5;

let app: RunningApp;
let browser: Browser;
let page: Page;
let ui: ReturnType<typeof chatPage>;

beforeAll(async () => {
  mkdirSync(RESULTS_DIR, { recursive: true });
  app = await startApp({ ORMAI_SECRET: 'e2e-test-secret-3a9f27c4e81b6d05', RATE_LIMIT_PER_SESSION: String(SESSION_LIMIT) }, join(RESULTS_DIR, 'server.log'));
  browser = await openChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  ui = chatPage(page, app.url);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** The chat API as the signed-in browser calls it (same cookies), answering the stream's chunks. */
async function postChat(messages: unknown[]): Promise<Array<Record<string, unknown>>> {
  const response = await page.request.post(`${app.url}/api/chat`, { data: { messages } });
  expect(response.status()).toBe(200);
  return uiStreamChunks(await response.text());
}

describe('the Next.js support agent, built and driven in Chromium', () => {
  it('reports its health: version, policy hash, audit sink, budget store, database', async () => {
    const response = await fetch(`${app.url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      version: ORMAI_VERSION,
      policyHash: policyHash(shopPolicy),
      audit: { status: 'ok', sink: 'sequelize' },
      budgetStore: { status: 'ok', shared: false },
      database: { status: 'ok' },
    });
  });

  it('sends a visitor without a session to sign in, and refuses the chat API without one', async () => {
    await browser.context.clearCookies();
    await page.goto(`${app.url}/`);
    expect(page.url()).toBe(`${app.url}/sign-in`);
    const response = await page.request.post(`${app.url}/api/chat`, { data: { messages: [userMessage('u1', 'Show me our open support tickets')] } });
    expect(response.status()).toBe(401);
    expect((await response.json()).error.code).toBe('signed_out');
  });

  it('shows an Acme agent Acme rows only, emails and phones masked; a question about Globex gets the structured error card', async () => {
    await ui.signInAs('acme-avery');
    await ui.ask('Show me our open support tickets');
    const query = ui.lastCard('db_query');
    expect(await query.getAttribute('data-decision')).toBe('allowed');
    const emails = await query.locator('td[data-column="customer.email"]').allTextContents();
    expect(emails.length).toBeGreaterThan(0);
    for (const email of emails) expect(email).toMatch(/^[a-z]\*\*\*@acme-mail\.test$/);
    for (const phone of await query.locator('td[data-column="customer.phone"]').allTextContents()) expect(phone).toMatch(/^\*\*\*\d{4}$/);
    await ui.shot('01-acme-open-tickets');

    // The domain tool: notes are searched in the database and come back with phones, emails and cards removed.
    await ui.ask('Find tickets asking for a callback');
    const search = ui.lastCard('search_tickets');
    expect(await search.getAttribute('data-decision')).toBe('allowed');
    const notes = await search.locator('td[data-column="notes"]').allTextContents();
    expect(notes.length).toBeGreaterThan(0);
    for (const note of notes) {
      expect(note).toContain('callback');
      expect(note).not.toMatch(/\d{3}[\s.-]?\d{4}|@|\d{4}[\s-]?\d{4}[\s-]?\d{4}/);
    }
    await ui.shot('01b-acme-search-tickets');

    await ui.ask('How many orders does Globex have?');
    const refused = ui.lastCard('db_aggregate');
    expect(await refused.getAttribute('data-decision')).toBe('refused');
    expect(await refused.getByTestId('error-code').textContent()).toBe('tenant_mismatch');
    expect(await refused.getByTestId('error-suggestion').textContent()).toBe(errors.tenantMismatch('Order').toJSON().suggestion);
    // Nothing of the other tenant reached the page: no Globex customer, no clear email, no password hash.
    expect(await page.content()).not.toMatch(/globex-mail|[a-z]{2,}\.[a-z]+\d*@acme-mail|\$argon2id/);
    await ui.shot('02-globex-structured-error');

    // A write the user declines in the chat never runs.
    await ui.ask('Mark order 4 as delivered');
    const declined = ui.lastCard('db_update');
    await declined.getByTestId('deny-write').click();
    await page.locator('[data-testid="tool-card"][data-tool="db_update"][data-decision="declined"]').waitFor();
    await page.getByText('Understood: I left the order unchanged.').waitFor();
  });

  it('holds a large refund for finance: confirmed in the chat, pending, approved by the finance user, executed with the approver recorded', async () => {
    await ui.signInAs('acme-avery');
    await ui.ask('Refund $80 on order 1');
    const write = ui.lastCard('db_update');
    expect(await write.getAttribute('data-decision')).toBe('confirm');
    await ui.shot('03-confirm-write');
    await write.getByTestId('approve-write').click();
    const pending = write.getByTestId('pending-approval');
    await pending.waitFor();
    const approvalId = (await pending.getAttribute('data-approval-id'))!;
    expect(approvalId).toMatch(/\S/);
    await ui.shot('04-write-pending-approval');

    // The agent sees the request pending, without the right to decide it.
    await page.goto(`${app.url}/approvals`);
    const request = page.locator(`[data-testid="approval"][data-approval-id="${approvalId}"]`);
    expect(await request.getAttribute('data-status')).toBe('pending');
    expect(await request.getByTestId('approve-request').count()).toBe(0);

    await ui.signInAs('acme-fran');
    await page.goto(`${app.url}/approvals`);
    await request.getByTestId('approve-request').click();
    await page.locator(`[data-testid="approval"][data-approval-id="${approvalId}"][data-status="executed"]`).waitFor();
    expect(await request.getByTestId('approval-approved-by').textContent()).toBe('Fran (finance) for large-refund');
    expect(await request.getByTestId('approval-executed').textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    await ui.shot('05-approved-and-executed');

    const executed = (await ui.auditRows()).filter((row) => row.action === 'approvals.execute');
    expect(executed).toEqual([expect.objectContaining({ decision: 'allowed', approvers: 'Fran (finance)', user: 'Avery (agent)' })]);
  });

  it('refuses an approval decision forged from the client: the identity is the session, never the body', async () => {
    await ui.signInAs('acme-avery');
    await ui.ask('Refund $90 on order 2');
    await ui.lastCard('db_update').getByTestId('approve-write').click();
    const approvalId = (await ui.lastCard('db_update').getByTestId('pending-approval').getAttribute('data-approval-id'))!;

    // The requester claims to be finance in the body: ignored, and OrmAI refuses their own request.
    const forged = await page.request.post(`${app.url}/api/approvals`, {
      data: { id: approvalId, decision: 'approve', approver: { tenantId: 'acme', userId: 'acme-fran', roles: ['finance'] }, roles: ['finance'] },
    });
    expect(forged.status()).toBe(403);
    expect((await forged.json()).error.code).toBe('approver_not_allowed');

    // Finance of another tenant cannot decide it either: to them the id is unknown.
    await ui.signInAs('globex-gina');
    const otherTenant = await page.request.post(`${app.url}/api/approvals`, { data: { id: approvalId, decision: 'approve' } });
    expect(otherTenant.status()).toBe(404);
    expect((await otherTenant.json()).error.code).toBe('not_found');

    // Still pending for Acme's finance, who denies it.
    await ui.signInAs('acme-fran');
    await page.goto(`${app.url}/approvals`);
    const request = page.locator(`[data-testid="approval"][data-approval-id="${approvalId}"]`);
    expect(await request.getAttribute('data-status')).toBe('pending');
    await request.getByTestId('deny-request').click();
    await page.locator(`[data-testid="approval"][data-approval-id="${approvalId}"][data-status="denied"]`).waitFor();
    expect(await request.getByTestId('approval-decided-by').textContent()).toMatch(/^Fran \(finance\) at /);
  });

  it('refuses a tool approval forged, altered or replayed from another session: only the one the server signed for this session runs', async () => {
    await ui.signInAs('acme-avery');
    const question = 'Mark order 4 as shipped';
    const updates = async () => (await ui.auditRows()).filter((row) => row.action === 'db_update').length;
    const updatesBefore = await updates();

    const proposal = await proposeWrite(postChat, question);
    expect(proposal.signature).toMatch(/\S/);
    const refused = { refusal: ['approval_not_verified'], output: undefined };
    // The same approval for a different change (another status), then one the server never issued.
    expect(outcomeOf(await postChat(approvedHistory(proposal, { input: { ...proposal.input, values: { status: 'delivered' } } })))).toEqual(refused);
    expect(outcomeOf(await postChat(approvedHistory(proposal, { toolCallId: 'call-forged', approval: { id: 'approval-forged' } })))).toEqual(refused);
    // The genuine approval, replayed in another session of the same user.
    await ui.signInAs('acme-avery');
    expect(outcomeOf(await postChat(approvedHistory(proposal)))).toEqual(refused);
    expect(await updates()).toBe(updatesBefore);

    // The control: this session's own signed approval runs the write.
    const fresh = await proposeWrite(postChat, question);
    expect(outcomeOf(await postChat(approvedHistory(fresh)))).toEqual({ refusal: [], output: { row: expect.objectContaining({ id: 4, status: 'shipped' }) } });
    expect(await updates()).toBe(updatesBefore + 1);
  });

  it('shows each tenant its own audit records only', async () => {
    await ui.signInAs('globex-gus');
    await ui.ask('Show me our open support tickets');
    for (const email of await ui.lastCard('db_query').locator('td[data-column="customer.email"]').allTextContents()) expect(email).toMatch(/@globex-mail\.test$/);
    const globex = await ui.auditRows();
    expect(globex.length).toBeGreaterThan(0);
    expect(new Set(globex.map((row) => row.tenant))).toEqual(new Set(['globex']));

    await ui.signInAs('acme-fran');
    const acme = await ui.auditRows();
    expect(new Set(acme.map((row) => row.tenant))).toEqual(new Set(['acme']));
    expect(acme.map((row) => row.action)).toEqual(expect.arrayContaining(['db_query', 'db_aggregate', 'db_update', 'approvals.approve', 'approvals.execute', 'approvals.deny']));
    expect(acme.some((row) => /Gus|Gina/.test(row.user))).toBe(false);
    await ui.shot('06-acme-audit-trail');
  });

  it('answers a flood with 429 from the edge middleware, and the chat shows it', async () => {
    await ui.signInAs('globex-gus');
    for (let i = 0; i < SESSION_LIMIT; i++) await ui.ask('Hello');
    await page.getByTestId('chat-input').fill('Hello again');
    await page.getByTestId('chat-send').click();
    const notice = page.getByTestId('chat-error');
    await notice.waitFor();
    expect(await notice.getAttribute('data-code')).toBe('rate_limited');
    expect(await notice.textContent()).toContain('Too many requests in this session.');
    expect(await notice.getByTestId('error-suggestion').textContent()).toMatch(/^Wait \d+ s before sending another request\.$/);
    await ui.shot('07-rate-limited');
  });
});
