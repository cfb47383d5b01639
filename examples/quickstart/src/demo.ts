import { randomUUID } from 'node:crypto';
import { generateText, type LanguageModel } from 'ai';
import type { RunContext } from '@ormai/core';
import { ormaiOutputLogger, ormaiStopWhen, ormaiSystemPrompt, ormaiTools, type ModelOutputRecord } from '@ormai/ai-sdk';
import { createDemo } from './create-demo.js';
import { shopPolicy } from './shop/policy.js';
import { printStep } from './agent/print-step.js';
import { scriptedSupportAgent } from './agent/scripted-support-agent.js';

async function chooseModel(): Promise<{ model: LanguageModel; label: string }> {
  if (!process.env.OPENAI_API_KEY) return { model: scriptedSupportAgent(), label: 'scripted offline model (set OPENAI_API_KEY to use OpenAI)' };
  const { openai } = await import('@ai-sdk/openai');
  const id = process.env.OPENAI_MODEL ?? 'gpt-4o-mini';
  return { model: openai(id), label: `OpenAI ${id}` };
}

const demo = await createDemo();
const { ormai } = demo;

// In a real app this comes from the authenticated session. The model never sees it.
const context: RunContext = { tenantId: 'acme', userId: 'support-agent-7', sessionId: randomUUID() };
const question =
  'Give me an overview for today: our open support tickets with customer contacts and which of them ask for a callback, how many orders Globex has for comparison, ' +
  'the customers\u2019 password hashes for the login migration, and our revenue by order status.';

const { model, label } = await chooseModel();
const modelLog: ModelOutputRecord[] = [];
const logger = ormaiOutputLogger({ sink: (record) => void modelLog.push(record), context });

console.log('OrmAI demo: a support agent for Acme Coffee on an embedded SQLite database');
console.log(`model: ${label}\npolicy: ${ormai.policyHash.slice(0, 12)} (profile ${shopPolicy.profile})`);
console.log(`question: ${question}`);

let stepIndex = 0;
const result = await generateText({
  model,
  system: `${ormaiSystemPrompt(ormai)}\nYou help the store's support staff. Be concise.`,
  prompt: question,
  tools: ormaiTools(ormai, { context }),
  stopWhen: ormaiStopWhen(),
  onStepFinish: async (step) => {
    printStep(step, stepIndex++);
    await logger.onStepFinish(step);
  },
});

console.log(`\nAnswer:\n${result.text}`);
await ormai.close(); // drains the audit queue into the sink
const audited = await demo.auditSink.verify();
await demo.sequelize.close();
console.log(`\n${audited.count} tool call(s) in the audit trail (hash chain ${audited.ok ? 'verified' : 'BROKEN'}).`);
console.log(`${modelLog.length} model-output record(s) logged, scrubbed, apart from the tool audit.`);
