import { stepCountIs, type StopCondition, type ToolSet } from 'ai';

const spentBudget = (output: unknown) =>
  typeof output === 'object' && output !== null && (output as { error?: { code?: string } }).error?.code === 'step_budget_exceeded';

/**
 * Stop conditions for an agent loop over OrmAI tools: at most `maxSteps` steps (default 12, the
 * checklist's ceiling), and right after a step whose tool calls all hit the per-run tool-call budget.
 */
export function ormaiStopWhen({ maxSteps = 12 }: { maxSteps?: number } = {}): Array<StopCondition<ToolSet>> {
  const budgetSpent: StopCondition<ToolSet> = ({ steps }) => {
    const results = steps.at(-1)?.toolResults ?? [];
    return results.length > 0 && results.every((r) => spentBudget(r.output));
  };
  return [stepCountIs(maxSteps), budgetSpent];
}
