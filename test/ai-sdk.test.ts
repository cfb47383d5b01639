import { describe, expect, it } from 'vitest';
import { generateText, stepCountIs, streamText, asSchema } from 'ai';
import { ormaiOutputLogger, ormaiStopWhen, ormaiSystemPrompt, ormaiTools, type ModelOutputRecord } from '@ormai/ai-sdk';
import { scriptedModel } from '@ormai/ai-sdk/testing';
import { DIALECTS } from './support/databases.js';
import { ACME, GLOBEX, useShop } from './support/shop-fixture.js';
import { expectNoForbiddenValues } from './support/assertions.js';

const errorCode = (output: unknown) => (output as { error?: { code: string } })?.error?.code;

describe('AI SDK tools over a real database (sqlite)', () => {
  const shop = useShop('sqlite');

  it('a refusal comes back as a tool result, and the next step sees it and recovers', async () => {
    const model = scriptedModel(({ step, lastToolResults }) => {
      if (step === 0) return { toolCalls: [{ toolName: 'db_query', input: { model: 'Order', where: { field: 'tenantId', op: 'eq', value: 'globex' } } }] };
      if (step === 1 && errorCode(lastToolResults[0]?.output) === 'tenant_mismatch') {
        return { toolCalls: [{ toolName: 'db_aggregate', input: { model: 'Order', op: 'count' } }] };
      }
      const count = (lastToolResults[0]?.output as { value?: number })?.value;
      return { text: `You have ${count} orders.` };
    });
    const result = await generateText({
      model,
      tools: ormaiTools(shop.ormai, { context: ACME }),
      stopWhen: ormaiStopWhen(),
      system: ormaiSystemPrompt(shop.ormai),
      prompt: 'How many orders do Globex and I have?',
    });
    expect(result.steps).toHaveLength(3);
    expect(errorCode(result.steps[0]!.toolResults[0]!.output)).toBe('tenant_mismatch');
    expect(result.steps[0]!.toolResults[0]!.output).toMatchObject({ error: { retryable: false, suggestion: expect.stringContaining('remove the tenant') } });
    // What the model was actually sent on its second call contains the structured error.
    expect(JSON.stringify(model.doGenerateCalls[1]!.prompt)).toContain('tenant_mismatch');
    expect(result.text).toBe(`You have ${shop.seeded.acmeOrderIds.length} orders.`);
  });

  it('streamText runs the same loop with streamed tool calls', async () => {
    const model = scriptedModel(({ step, lastToolResults }) =>
      step === 0
        ? { toolCalls: [{ toolName: 'db_query', input: { model: 'Customer', select: ['name', 'passwordHash'] } }] }
        : step === 1
          ? { toolCalls: [{ toolName: 'db_query', input: { model: 'Customer', select: ['name', 'email'], limit: 2 } }] }
          : { text: `Found ${(lastToolResults[0]?.output as { rows: unknown[] }).rows.length} customers.` },
    );
    const result = streamText({ model, tools: ormaiTools(shop.ormai, { context: ACME }), stopWhen: ormaiStopWhen(), prompt: 'List customers with passwords' });
    expect(await result.text).toBe('Found 2 customers.');
    const steps = await result.steps;
    expect(errorCode(steps[0]!.toolResults[0]!.output)).toBe('field_not_allowed');
    expect(JSON.stringify(model.doStreamCalls[1]!.prompt)).toContain('field_not_allowed');
    expectNoForbiddenValues(steps.map((s) => s.toolResults));
  });

  it('ormaiStopWhen caps the steps of a model that never stops calling tools', async () => {
    const model = scriptedModel(() => ({ toolCalls: [{ toolName: 'db_aggregate', input: { model: 'Order', op: 'count' } }] }));
    const result = await generateText({ model, tools: ormaiTools(shop.ormai, { context: ACME }), stopWhen: ormaiStopWhen({ maxSteps: 5 }), prompt: 'loop' });
    expect(result.steps).toHaveLength(5);
    expect(model.doGenerateCalls).toHaveLength(5);
  });

  it('without ormaiStopWhen, the per-run tool-call budget still stops the database work', async () => {
    shop.statements.length = 0;
    const model = scriptedModel(() => ({ toolCalls: [{ toolName: 'db_aggregate', input: { model: 'Order', op: 'count' } }] }));
    const tools = ormaiTools(shop.ormai, { context: { ...ACME, sessionId: 'run-1' }, maxToolCalls: 3 });
    const result = await generateText({ model, tools, stopWhen: stepCountIs(8), prompt: 'loop' });
    const codes = result.steps.map((s) => errorCode(s.toolResults[0]!.output) ?? 'ok');
    expect(codes).toEqual(['ok', 'ok', 'ok', 'step_budget_exceeded', 'step_budget_exceeded', 'step_budget_exceeded', 'step_budget_exceeded', 'step_budget_exceeded']);
    expect(shop.statements.filter((sql) => sql.startsWith('SELECT COUNT'))).toHaveLength(3);
    // With ormaiStopWhen, the loop also ends at the first step past the budget.
    const again = await generateText({ model, tools: ormaiTools(shop.ormai, { context: ACME, maxToolCalls: 2 }), stopWhen: ormaiStopWhen(), prompt: 'loop' });
    expect(again.steps).toHaveLength(3);
    // The budget is per session: the spent one stays spent, a new one starts fresh on the same tool set.
    const perSession = ormaiTools(shop.ormai, { context: ({ experimentalContext }) => ({ ...ACME, sessionId: String(experimentalContext) }), maxToolCalls: 1 });
    const first = await generateText({ model, tools: perSession, stopWhen: stepCountIs(2), prompt: 'x', experimental_context: 'a' });
    expect(first.steps.map((s) => errorCode(s.toolResults[0]!.output) ?? 'ok')).toEqual(['ok', 'step_budget_exceeded']);
    const fresh = await generateText({ model, tools: perSession, stopWhen: stepCountIs(1), prompt: 'x', experimental_context: 'b' });
    expect(errorCode(fresh.steps[0]!.toolResults[0]!.output)).toBeUndefined();
  });

  it('malformed input reaches OrmAI: a structured invalid_input that counts against the budget', async () => {
    const model = scriptedModel(() => ({ toolCalls: [{ toolName: 'db_query', input: { model: 'Order', limit: 'lots' } }] }));
    const result = await generateText({ model, tools: ormaiTools(shop.ormai, { context: ACME, maxToolCalls: 2 }), stopWhen: ormaiStopWhen(), prompt: 'x' });
    const outputs = result.steps.map((s) => s.toolResults[0]!.output as { error: { code: string; suggestion: string } });
    expect(outputs.map((o) => o.error.code)).toEqual(['invalid_input', 'invalid_input', 'step_budget_exceeded']);
    expect(outputs[0]!.error.suggestion).toContain('limit');
  });

  it('a long-lived tool set budgets each run separately, per tenant and user', async () => {
    const tools = ormaiTools(shop.ormai, { context: ({ experimentalContext }) => experimentalContext as typeof ACME, maxToolCalls: 2 });
    const model = scriptedModel(({ step }) => (step < 3 ? { toolCalls: [{ toolName: 'db_aggregate', input: { model: 'Order', op: 'count' } }] } : { text: 'done' }));
    const codes = async (ctx: object) => {
      const r = await generateText({ model, tools, stopWhen: stepCountIs(3), prompt: 'x', experimental_context: ctx });
      return r.steps.map((s) => errorCode(s.toolResults[0]!.output) ?? 'ok');
    };
    for (let run = 0; run < 25; run++) expect(await codes({ ...ACME })).toEqual(['ok', 'ok', 'step_budget_exceeded']);
    expect(await codes({ ...GLOBEX })).toEqual(['ok', 'ok', 'step_budget_exceeded']);
    // One requestId is one run, whatever the calls.
    const request = { ...ACME, requestId: 'req-7' };
    expect(await codes({ ...request })).toEqual(['ok', 'ok', 'step_budget_exceeded']);
    expect(await codes({ ...request })).toEqual(['step_budget_exceeded', 'step_budget_exceeded', 'step_budget_exceeded']);
  });

  it('ormaiStopWhen defaults to 12 steps', async () => {
    const model = scriptedModel(() => ({ toolCalls: [{ toolName: 'db_describe_schema', input: {} }] }));
    const result = await generateText({ model, tools: ormaiTools(shop.ormai, { context: ACME }), stopWhen: ormaiStopWhen(), prompt: 'loop' });
    expect(result.steps).toHaveLength(12);
  });

  it('a failing context resolver is internal_error for the model and reported to onError', async () => {
    const seen: unknown[] = [];
    const tools = ormaiTools(shop.ormai, { context: () => { throw new Error('session store down at 10.0.0.7'); }, onError: (e) => seen.push(e) });
    const model = scriptedModel(({ step }) => (step === 0 ? { toolCalls: [{ toolName: 'db_query', input: { model: 'Order' } }] } : { text: 'sorry' }));
    const result = await generateText({ model, tools, stopWhen: ormaiStopWhen(), prompt: 'x' });
    expect(errorCode(result.steps[0]!.toolResults[0]!.output)).toBe('internal_error');
    expect(JSON.stringify(result.steps[0]!.toolResults[0]!.output)).not.toContain('10.0.0.7');
    expect(seen).toHaveLength(1);
  });

  it('no tool input schema has a tenant field, and the system prompt names no tenant', async () => {
    const tools = ormaiTools(shop.ormai, { context: ACME });
    expect(Object.keys(tools).sort()).toEqual(['db_aggregate', 'db_describe_schema', 'db_get', 'db_query']);
    for (const t of Object.values(tools)) {
      const schema = JSON.stringify(await asSchema(t.inputSchema).jsonSchema);
      expect(schema).not.toMatch(/tenant/i);
    }
    const prompt = ormaiSystemPrompt(shop.ormai);
    expect(prompt).not.toMatch(/acme|globex/i);
    for (const code of ['scan_budget_exceeded', 'tenant_mismatch', 'field_not_allowed', 'statement_timeout']) expect(prompt).toContain(code);
  });

  it('the model text is logged scrubbed, on its own channel', async () => {
    const records: ModelOutputRecord[] = [];
    const model = scriptedModel(() => ({
      text: 'Email jane.doe@acme.test or call +1-555-010-4242; card 4242 4242 4242 4242; key sk-live_abcdefghijklmnop1234; hash $argon2id$v=19$m=65536$c2FsdA$aGFzaA.',
    }));
    await generateText({ model, prompt: 'contact?', ...ormaiOutputLogger({ sink: (r) => void records.push(r), context: { ...ACME, sessionId: 's-1' } }) });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ kind: 'model_output', sessionId: 's-1', userId: 'u-acme' });
    expect(records[0]!.text).not.toMatch(/jane|4242|555|sk-live|argon2id/);
    expect(records[0]).not.toHaveProperty('tenantId');
  });

  it('without any context the tools refuse with invalid_context', async () => {
    const model = scriptedModel(({ step }) => (step === 0 ? { toolCalls: [{ toolName: 'db_query', input: { model: 'Order' } }] } : { text: 'done' }));
    const result = await generateText({ model, tools: ormaiTools(shop.ormai), stopWhen: ormaiStopWhen(), prompt: 'x' });
    expect(errorCode(result.steps[0]!.toolResults[0]!.output)).toBe('invalid_context');
  });
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: one long-lived tool set serving concurrent tenants`, () => {
    const shop = useShop(dialect);

    it('resolves the context per call and never mixes tenants across concurrent runs', async () => {
      const resolved: string[] = [];
      // One tool set for the whole server; the tenant comes from each request's experimental_context.
      const tools = ormaiTools(shop.ormai, {
        context: ({ experimentalContext }) => {
          const session = experimentalContext as { tenantId: string; userId: string };
          resolved.push(session.tenantId);
          return { tenantId: session.tenantId, userId: session.userId };
        },
      });
      const run = (ctx: typeof ACME) => {
        const model = scriptedModel(({ step }) =>
          step < 3 ? { toolCalls: [{ toolName: 'db_query', input: { model: 'Customer', select: ['id', 'name'] } }] } : { text: 'done' },
        );
        return generateText({ model, tools, stopWhen: ormaiStopWhen(), prompt: 'list', experimental_context: ctx });
      };
      const [acme, globex] = await Promise.all([run(ACME), run(GLOBEX)]);
      const ids = (r: typeof acme) => r.steps.flatMap((s) => s.toolResults.flatMap((t) => (t.output as { rows: Array<{ id: number }> }).rows.map((row) => row.id)));
      expect(new Set(ids(acme))).toEqual(new Set(shop.seeded.acmeCustomerIds));
      expect(new Set(ids(globex))).toEqual(new Set(shop.seeded.globexCustomerIds));
      expect(resolved.filter((t) => t === 'acme')).toHaveLength(3);
      expect(resolved.filter((t) => t === 'globex')).toHaveLength(3);
    });

    it('the experimental_context alone is accepted when valid, and refused when not', async () => {
      const tools = ormaiTools(shop.ormai);
      const model = scriptedModel(({ step }) => (step === 0 ? { toolCalls: [{ toolName: 'db_aggregate', input: { model: 'Customer', op: 'count' } }] } : { text: 'ok' }));
      const ok = await generateText({ model, tools, stopWhen: ormaiStopWhen(), prompt: 'x', experimental_context: GLOBEX });
      expect(ok.steps[0]!.toolResults[0]!.output).toMatchObject({ value: shop.seeded.globexCustomerIds.length });
      const bad = await generateText({ model, tools, stopWhen: ormaiStopWhen(), prompt: 'x', experimental_context: { tenant: 'globex' } });
      expect(errorCode(bad.steps[0]!.toolResults[0]!.output)).toBe('invalid_context');
    });
  });
}
