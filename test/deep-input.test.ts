import { describe, expect, it } from 'vitest';
import { generateText, stepCountIs } from 'ai';
import { definePolicy, type FilterInput, type IncludeInput, type ToolResult } from '@ormai/core';
import { ormaiTools, type ToolErrorResult } from '@ormai/ai-sdk';
import { scriptedModel } from '@ormai/ai-sdk/testing';
import { ACME, useShop } from './support/shop-fixture.js';
import { shopPolicySpec, writePolicy } from './support/shop.js';
import { expectError, expectOk } from './support/assertions.js';

const REASON = 'customer asked by email to correct the order';
const condition: FilterInput = { field: 'status', op: 'eq', value: 'paid' };

/** An agent's filter nested `levels` deep, alternating or/not: about 12 KB at 1,500, under the size cap. */
function deepFilter(levels: number): FilterInput {
  let filter = condition;
  for (let i = 0; i < levels; i++) filter = i % 2 ? { not: filter } : { or: [filter] };
  return filter;
}

function deepInclude(levels: number): IncludeInput {
  let include: IncludeInput = { relation: 'customer' };
  for (let i = 0; i < levels; i++) include = { relation: i % 2 ? 'customer' : 'orders', include: [include] };
  return include;
}

/** The answer to over-nested input: a structured refusal telling the agent to flatten, never internal_error. */
function expectTooDeep(result: ToolResult) {
  const error = expectError(result, 'invalid_input');
  expect(error.message).toMatch(/nested too deeply/);
  expect(error.suggestion).toMatch(/flatten/i);
  expect(error.details).toMatchObject({ maxDepth: expect.any(Number) });
  return error;
}

describe('deeply nested input (sqlite)', () => {
  const shop = useShop('sqlite');

  it('a filter nested 1,500 deep under the size cap is refused as invalid_input on every tool that takes one', async () => {
    const where = deepFilter(1_500);
    expect(JSON.stringify(where).length).toBeLessThan(64 * 1024);
    const writer = shop.withPolicy(writePolicy());
    expectTooDeep(await shop.ormai.call('db_query', { model: 'Order', where }, ACME));
    expectTooDeep(await shop.ormai.call('db_aggregate', { model: 'Order', op: 'count', where }, ACME));
    expectTooDeep(await writer.call('db_bulk_update', { model: 'Order', where, values: { status: 'paid' }, reason: REASON }, ACME));
    expectTooDeep(await writer.call('db_preview_write', { operation: 'bulk_update', model: 'Order', where, values: { status: 'paid' } }, ACME));
  });

  it('an include nested 1,500 deep is refused as invalid_input', async () => {
    const include = [deepInclude(1_500)];
    expect(JSON.stringify(include).length).toBeLessThan(64 * 1024);
    expectTooDeep(await shop.ormai.call('db_query', { model: 'Customer', include }, ACME));
    expectTooDeep(await shop.ormai.call('db_get', { model: 'Customer', id: shop.seeded.acmeCustomerIds[0]!, include }, ACME));
  });

  it('an object nested 100,000 deep, built in process, is refused as invalid_input and call() does not throw', async () => {
    const where = deepFilter(100_000);
    expectTooDeep(await shop.ormai.call('db_query', { model: 'Order', where }, ACME));
    let array: unknown = [];
    for (let i = 0; i < 100_000; i++) array = [array];
    expectTooDeep(await shop.ormai.callTool('db_query', array, ACME));
    const cyclic: Record<string, unknown> = { model: 'Order' };
    cyclic.where = { or: [cyclic, cyclic] };
    expectError(await shop.ormai.callTool('db_query', cyclic, ACME), 'invalid_input');
  });

  it('the deepest legal input still passes: a 6-level filter inside includes 3 relations deep', async () => {
    const deepest = shop.withPolicy(definePolicy({ ...shopPolicySpec, budgets: { ...shopPolicySpec.budgets, maxJoinDepth: 3 } }));
    const name: FilterInput = { field: 'name', op: 'in', value: ['Widget 1', 'Widget 2'] };
    let where: FilterInput = name;
    for (let i = 0; i < 5; i++) where = i % 2 ? { and: [where, name] } : { or: [where, name] };
    const include = [{ relation: 'orders', include: [{ relation: 'items', include: [{ relation: 'product', where }] }] }];
    const data = expectOk(await deepest.call('db_query', { model: 'Customer', include, limit: 1 }, ACME));
    expect(data.rows).toHaveLength(1);
  });

  it('through the AI SDK tools, a 1,500-deep filter reaches OrmAI unparsed and comes back as invalid_input', async () => {
    const tools = ormaiTools(shop.ormai, { context: ACME });
    const output = await tools.db_query!.execute!({ model: 'Order', where: deepFilter(1_500) }, { toolCallId: 'deep', messages: [] });
    expectTooDeep({ ok: false, error: (output as ToolErrorResult).error });
  });

  it('in a generateText loop, the model sees the invalid_input result for an over-nested filter', async () => {
    // 200 levels: past OrmAI's limit, yet shallow enough for the SDK's own structuredClone of the messages.
    const model = scriptedModel(({ step }) =>
      step === 0 ? { toolCalls: [{ toolName: 'db_query', input: { model: 'Order', where: deepFilter(200) } }] } : { text: 'done' },
    );
    const result = await generateText({ model, tools: ormaiTools(shop.ormai, { context: ACME }), stopWhen: stepCountIs(2), prompt: 'x' });
    expectTooDeep({ ok: false, error: (result.steps[0]!.toolResults[0]!.output as ToolErrorResult).error });
    expect(JSON.stringify(model.doGenerateCalls[1]!.prompt)).toContain('nested too deeply');
  });
});
