import { describe, expect, it } from 'vitest';
import { generateText, stepCountIs } from 'ai';
import { ormaiTools } from '@ormai/ai-sdk';
import { scriptedModel } from '@ormai/ai-sdk/testing';
import { ioredisBudgetStore } from '@ormai/upstash/node';
import { useRedis } from '../packages/upstash/src/test-support/redis.js';
import { ACME, useShop } from './support/shop-fixture.js';
import { shopPolicy } from './support/shop.js';

const errorCode = (output: unknown) => (output as { error?: { code: string } })?.error?.code;
const { redis, prefix } = await useRedis('ai-sdk-run');

describe('an AI SDK run spread over three instances sharing one Redis', () => {
  const shop = useShop('sqlite');
  // Three processes' worth of OrmAI: their own store objects, one Redis and one secret.
  const instances = (keyPrefix: string) => [0, 1, 2].map(() => shop.withPolicy(shopPolicy(), { budgetStore: ioredisBudgetStore(redis, { prefix: keyPrefix, timeoutMs: 15_000 }) }));

  /** One generateText per tool set, each step one tool call: the outcome of every call, in order. */
  async function runOn(toolSets: ReturnType<typeof ormaiTools>[], experimentalContext: object) {
    const outcomes: string[] = [];
    for (const tools of toolSets) {
      const model = scriptedModel(() => ({ toolCalls: [{ toolName: 'db_aggregate', input: { model: 'Order', op: 'count' } }] }));
      const result = await generateText({ model, tools, stopWhen: stepCountIs(3), prompt: 'count', experimental_context: experimentalContext });
      outcomes.push(...result.steps.map((step) => errorCode(step.toolResults[0]!.output) ?? 'ok'));
    }
    return outcomes;
  }

  it('a run (its requestId) gets one budget across the three tool sets, not three', async () => {
    const ormais = instances(`${prefix}shared:`);
    expect(ormais.every((o) => o.budgets.shared)).toBe(true);
    const toolSets = ormais.map((ormai) => ormaiTools(ormai, { maxToolCalls: 5 }));
    const outcomes = await runOn(toolSets, { ...ACME, requestId: 'req-7f3a' });
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', ...Array(4).fill('step_budget_exceeded')]);
    // Another request of the same user starts fresh; so does the same request id of another user.
    expect((await runOn([toolSets[1]!], { ...ACME, requestId: 'req-8b1c' })).filter((o) => o === 'ok')).toHaveLength(3);
    expect((await runOn([toolSets[2]!], { ...ACME, userId: 'u-other', requestId: 'req-7f3a' })).filter((o) => o === 'ok')).toHaveLength(3);
  });

  it('a session id is shared the same way; runs named only by their generateText call stay per process', async () => {
    const toolSets = instances(`${prefix}session:`).map((ormai) => ormaiTools(ormai, { context: { ...ACME, sessionId: 'sess-19d2' }, maxToolCalls: 4 }));
    // No experimental_context object: the session names the run.
    const outcomes: string[] = [];
    for (const tools of toolSets) {
      const model = scriptedModel(() => ({ toolCalls: [{ toolName: 'db_aggregate', input: { model: 'Order', op: 'count' } }] }));
      const result = await generateText({ model, tools, stopWhen: stepCountIs(2), prompt: 'count' });
      outcomes.push(...result.steps.map((step) => errorCode(step.toolResults[0]!.output) ?? 'ok'));
    }
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(4);

    const perProcess = instances(`${prefix}local:`).map((ormai) => ormaiTools(ormai, { maxToolCalls: 2 }));
    expect(await runOn(perProcess, { ...ACME })).toEqual(Array(3).fill(['ok', 'ok', 'step_budget_exceeded']).flat());
  });

  it('sharedRunBudget: false keeps the budget in memory, per tool set', async () => {
    const toolSets = instances(`${prefix}opt-out:`).map((ormai) => ormaiTools(ormai, { maxToolCalls: 5, sharedRunBudget: false }));
    expect((await runOn(toolSets, { ...ACME, requestId: 'req-0e44' })).filter((o) => o === 'ok')).toHaveLength(9);
  });
});
