import { describe, expect, it } from 'vitest';
import { ToolCallBudget } from './tool-call-budget.js';

describe('ToolCallBudget', () => {
  it('allows exactly maxToolCalls per run, independently per run', () => {
    const budget = new ToolCallBudget(2);
    expect([budget.take('a'), budget.take('a'), budget.take('a')]).toEqual([true, true, false]);
    expect(budget.take('b')).toBe(true);
    expect(budget.take('a')).toBe(false);
  });

  it('forgets idle runs once many are tracked, keeping memory bounded', () => {
    const budget = new ToolCallBudget(1, 1_000);
    for (let i = 0; i <= 10_000; i++) budget.take(`run-${i}`, 0);
    expect(budget.take('run-0', 0)).toBe(false);
    budget.take('trigger', 5_000); // over 10k runs: idle ones are dropped
    expect(budget.take('run-0', 5_000)).toBe(true);
  });
});
