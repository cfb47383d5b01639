import { join } from 'node:path';
import type { Page } from 'playwright-core';

export const RESULTS_DIR = new URL('../../test-results/', import.meta.url).pathname;

export interface AuditRowView {
  action: string;
  decision: string;
  tenant: string;
  user: string;
  approvers: string;
}

/** The app's pages as a person uses them: sign in, chat, read the audit trail; screenshots to test-results/. */
export function chatPage(page: Page, baseUrl: string) {
  return {
    shot: (name: string) => page.screenshot({ path: join(RESULTS_DIR, `${name}.png`), fullPage: true }),

    async signInAs(userId: string): Promise<void> {
      await page.goto(`${baseUrl}/sign-in`);
      await page.getByTestId(`sign-in-${userId}`).click();
      await page.waitForURL(`${baseUrl}/`);
    },

    /** Sends a message and waits for the agent's answer to finish streaming. */
    async ask(text: string): Promise<void> {
      const answers = await page.getByTestId('message-assistant').count();
      await page.getByTestId('chat-input').fill(text);
      await page.getByTestId('chat-send').click();
      await page.waitForFunction(
        (before) =>
          document.querySelectorAll('[data-testid="message-assistant"]').length > before &&
          document.querySelector('[data-testid="chat-status"]')?.getAttribute('data-status') === 'ready',
        answers,
      );
    },

    lastCard: (tool: string) => page.locator(`[data-testid="tool-card"][data-tool="${tool}"]`).last(),

    /** The audit page's records of the signed-in tenant, as the page shows them. */
    async auditRows(): Promise<AuditRowView[]> {
      await page.goto(`${baseUrl}/audit`);
      return page.getByTestId('audit-row').evaluateAll((rows) =>
        rows.map((row) => ({
          action: row.getAttribute('data-action') ?? '',
          decision: row.getAttribute('data-decision') ?? '',
          tenant: row.getAttribute('data-tenant') ?? '',
          user: row.querySelector('[data-column="user"]')?.textContent ?? '',
          approvers: row.querySelector('[data-column="approvers"]')?.textContent ?? '',
        })),
      );
    },
  };
}
