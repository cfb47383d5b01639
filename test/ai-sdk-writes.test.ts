import { describe, expect, it } from 'vitest';
import { asSchema, generateText, type ModelMessage } from 'ai';
import { ormaiStopWhen, ormaiTools } from '@ormai/ai-sdk';
import { scriptedModel } from '@ormai/ai-sdk/testing';
import { ACME, useShop } from './support/shop-fixture.js';
import { writePolicy } from './support/shop.js';

describe('AI SDK tool approval for writes (sqlite)', () => {
  const shop = useShop('sqlite');

  it('write tool schemas have no tenant field either', async () => {
    const tools = ormaiTools(shop.withPolicy(writePolicy()), { context: ACME });
    expect(Object.keys(tools)).toEqual(expect.arrayContaining(['db_create', 'db_update', 'db_bulk_update', 'db_preview_write', 'db_approval_status']));
    for (const t of Object.values(tools)) expect(JSON.stringify(await asSchema(t.inputSchema).jsonSchema)).not.toMatch(/tenant/i);
  });

  it('confirmWrites pauses a write for the chat UI, runs it once approved, and never when denied', async () => {
    const ormai = shop.withPolicy(writePolicy());
    const orderId = shop.seeded.acmeOrderIds[4]!;
    const amountOf = async () => ((await shop.db.sequelize.query(`SELECT amount FROM orders WHERE id = ${orderId}`))[0] as any[])[0].amount;
    const model = scriptedModel(({ step, lastToolResults }) =>
      step === 0
        ? { toolCalls: [{ toolName: 'db_update', input: { model: 'Order', id: orderId, values: { amount: 321 }, reason: 'customer asked for a partial refund' } }] }
        : { text: `done: ${JSON.stringify(lastToolResults[0]?.output ?? null)}` },
    );
    const tools = ormaiTools(ormai, { context: ACME, confirmWrites: true });
    expect(tools.db_update!.needsApproval).toBe(true);
    expect(tools.db_query!.needsApproval).toBeUndefined();
    const before = await amountOf();

    const first = await generateText({ model, tools, stopWhen: ormaiStopWhen(), prompt: 'refund it' });
    const request = first.content.find((p) => p.type === 'tool-approval-request');
    expect(request).toBeDefined();
    expect(await amountOf()).toBe(before); // nothing ran yet

    const answer = (approved: boolean): ModelMessage[] => [
      { role: 'user', content: 'refund it' },
      ...first.response.messages,
      { role: 'tool', content: [{ type: 'tool-approval-response', approvalId: (request as { approvalId: string }).approvalId, approved }] },
    ];
    const denied = await generateText({ model, tools, stopWhen: ormaiStopWhen(), messages: answer(false) });
    expect(await amountOf()).toBe(before);
    expect(denied.text).toContain('done');

    const approved = await generateText({ model, tools, stopWhen: ormaiStopWhen(), messages: answer(true) });
    expect(await amountOf()).toBe(321);
    expect(approved.text).toContain('"amount":321');
  });
});
