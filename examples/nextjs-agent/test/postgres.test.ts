import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from './support/app-server';
import { chatPage, RESULTS_DIR } from './support/chat-page';
import { openChromium, type Browser } from '../../../packages/cli/src/review/test-support/chromium.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// A schema of its own (the `ormai_test_` prefix lets .ci/run drop it if this run is killed), chosen
// through the connection string the way a deployment would pick one.
const SCHEMA = `ormai_test_nextjs_${randomBytes(4).toString('hex')}`;

const admin = new pg.Client({ connectionString: DATABASE_URL });
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(RESULTS_DIR, { recursive: true });
  try {
    await admin.connect();
  } catch (error) {
    // A missing server fails the suite: it never skips.
    throw new Error(`PostgreSQL is required at ${DATABASE_URL} (set DATABASE_URL): ${(error as Error).message}`);
  }
  await admin.query(`CREATE SCHEMA ${SCHEMA}`);
  const url = new URL(DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${SCHEMA}`);
  app = await startApp({ ORMAI_SECRET: 'e2e-test-secret-3a9f27c4e81b6d05', DATABASE_URL: url.toString() }, join(RESULTS_DIR, 'server-postgres.log'));
  browser = await openChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
  await admin.end();
});

describe('the Next.js support agent on PostgreSQL (DATABASE_URL)', () => {
  it('seeds the shop there, serves Acme its own masked rows (stored markup shown as text), and keeps the audit trail in the same database', async () => {
    expect(await (await fetch(`${app.url}/api/health`)).json()).toMatchObject({ status: 'ok', audit: { sink: 'sequelize' }, database: { status: 'ok' } });
    // Stored text that carries markup (a ticket written by a customer, a name typed into a form) shows as text.
    const markup = '<img src=x onerror="document.title=\'xss\'">';
    const { rows: [ticket] } = await admin.query<{ customer_id: number }>(
      `UPDATE ${SCHEMA}.support_tickets SET subject = $1 || subject WHERE id = (SELECT min(id) FROM ${SCHEMA}.support_tickets WHERE tenant_id = 'acme' AND status = 'open') RETURNING customer_id`,
      [markup],
    );
    await admin.query(`UPDATE ${SCHEMA}.customers SET name = '<script>document.title="xss"</script>' || name WHERE id = $1`, [ticket!.customer_id]);
    // Fresh statistics after the rewrite, or the planner's scan estimate (OrmAI's scan budget) counts the old row versions too.
    await admin.query(`ANALYZE ${SCHEMA}.support_tickets, ${SCHEMA}.customers`);
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const ui = chatPage(page, app.url);
    await ui.signInAs('acme-avery');
    await ui.ask('Show me our open support tickets');
    const card = ui.lastCard('db_query');
    const emails = await card.locator('td[data-column="customer.email"]').allTextContents();
    expect(emails.length).toBeGreaterThan(0);
    for (const email of emails) expect(email).toMatch(/^[a-z]\*\*\*@acme-mail\.test$/);
    expect((await card.locator('td[data-column="subject"]').allTextContents()).filter((subject) => subject.startsWith(markup))).toHaveLength(1);
    expect(await card.locator('img, script').count()).toBe(0);
    expect(await page.title()).not.toBe('xss');
    await ui.shot('08-postgres-open-tickets');

    // The audit page flushes the queued records first; they are in the schema's own table.
    expect((await ui.auditRows()).map((row) => row.action)).toContain('db_query');
    const { rows } = await admin.query<{ action: string }>(`SELECT action FROM ${SCHEMA}.ormai_audit_records WHERE tenant_id = 'acme'`);
    expect(rows.map((row) => row.action)).toContain('db_query');
  });
});
