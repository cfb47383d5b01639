import { describe, expect, it } from 'vitest';
import { generateText, stepCountIs } from 'ai';
import { z } from 'zod';
import { defineTool, definePolicy } from '@ormai/core';
import { ormaiStopWhen, ormaiTools } from '@ormai/ai-sdk';
import { scriptedModel } from '@ormai/ai-sdk/testing';
import { ACME, useShop } from './support/shop-fixture.js';
import { shopPolicySpec, writePolicySpec } from './support/shop.js';
import { expectNoForbiddenValues } from './support/assertions.js';

const errorCode = (output: unknown) => (output as { error?: { code: string } })?.error?.code;

const vipCustomers = defineTool({
  name: 'vip_customers',
  description: 'Your VIP customers, by name.',
  input: z.strictObject({ limit: z.number().int().min(1).max(10).optional() }),
  access: 'read',
  run: async ({ limit }, { db }) => (await db.query({ model: 'Customer', select: ['name', 'email'], where: { field: 'vip', op: 'eq', value: true }, limit: limit ?? 5 })).rows,
});

const cancelOrder = defineTool({
  name: 'cancel_order',
  description: 'Cancel one of your orders.',
  input: z.strictObject({ orderId: z.number().int(), reason: z.string() }),
  access: 'write',
  run: ({ orderId, reason }, { db }) => db.update({ model: 'Order', id: orderId, values: { status: 'cancelled' }, reason }),
});

describe('AI SDK: domain tools next to (or instead of) the generic ones (sqlite)', () => {
  const shop = useShop('sqlite');

  it('a policy of domain tools only: the model is sent those tools and nothing else, and uses them', async () => {
    const ormai = shop.withPolicy(definePolicy({ ...shopPolicySpec, tools: [] }), { tools: [vipCustomers] });
    const tools = ormaiTools(ormai, { context: ACME });
    expect(Object.keys(tools)).toEqual(['vip_customers']);
    const model = scriptedModel(({ step, lastToolResults }) =>
      step === 0 ? { toolCalls: [{ toolName: 'vip_customers', input: {} }] } : { text: `VIPs: ${JSON.stringify(lastToolResults[0]?.output)}` },
    );
    const result = await generateText({ model, tools, stopWhen: ormaiStopWhen(), prompt: 'Who are our VIPs?' });
    expect(model.doGenerateCalls[0]!.tools?.map((t) => t.name)).toEqual(['vip_customers']);
    expect(result.steps[0]!.toolResults[0]!.output).toEqual([{ name: 'Acme Customer 0', email: 'a***@acme.test' }]);
    expectNoForbiddenValues(result.steps);
  });

  it('a model restricted to domain tools: the generic tools stay for the others and refuse it like an unknown model', async () => {
    const spec = { ...shopPolicySpec, models: { ...shopPolicySpec.models, Customer: { ...shopPolicySpec.models.Customer, tools: [] } } };
    const ormai = shop.withPolicy(definePolicy(spec), { tools: [vipCustomers] });
    const model = scriptedModel(({ step }) =>
      step === 0
        ? { toolCalls: [{ toolName: 'db_query', input: { model: 'Customer' } }, { toolName: 'db_describe_schema', input: {} }, { toolName: 'vip_customers', input: { limit: 1 } }] }
        : { text: 'done' },
    );
    const result = await generateText({ model, tools: ormaiTools(ormai, { context: ACME }), stopWhen: ormaiStopWhen(), prompt: 'x' });
    expect(model.doGenerateCalls[0]!.tools?.map((t) => t.name)).toEqual(['db_describe_schema', 'db_query', 'db_get', 'db_aggregate', 'vip_customers']);
    const [query, describe, vips] = result.steps[0]!.toolResults.map((r) => r.output);
    expect(errorCode(query)).toBe('model_not_allowed');
    expect((describe as { models: Array<{ name: string }> }).models.map((m) => m.name)).not.toContain('Customer');
    expect(vips).toEqual([{ name: 'Acme Customer 0', email: 'a***@acme.test' }]);
  });

  it('domain tool calls count against the run budget, and confirmWrites asks before a write tool', async () => {
    const ormai = shop.withPolicy(definePolicy({ ...writePolicySpec, tools: [] }), { tools: [vipCustomers, cancelOrder] });
    const model = scriptedModel(() => ({ toolCalls: [{ toolName: 'vip_customers', input: {} }] }));
    const result = await generateText({ model, tools: ormaiTools(ormai, { context: { ...ACME, sessionId: 'domain-run' }, maxToolCalls: 2 }), stopWhen: stepCountIs(3), prompt: 'loop' });
    expect(result.steps.map((s) => errorCode(s.toolResults[0]!.output) ?? 'ok')).toEqual(['ok', 'ok', 'step_budget_exceeded']);
    const confirmed = ormaiTools(ormai, { context: ACME, confirmWrites: true });
    expect(confirmed.cancel_order!.needsApproval).toBe(true);
    expect(confirmed.vip_customers!.needsApproval).toBeUndefined();
  });
});
