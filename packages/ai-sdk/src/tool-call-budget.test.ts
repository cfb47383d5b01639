import { describe, expect, it } from 'vitest';
import { ToolCallBudget } from './tool-call-budget.js';

describe('ToolCallBudget', () => {
  it('allows exactly maxToolCalls per run, independently per run', () => {
    const budget = new ToolCallBudget(2);
    expect([budget.take('a', 0), budget.take('a', 0), budget.take('a', 0)]).toEqual([true, true, false]);
    expect(budget.take('b', 0)).toBe(true);
    expect(budget.take('a', 0)).toBe(false);
  });

  it('a run idle for idleMs starts over; a run that keeps calling stays spent', () => {
    const budget = new ToolCallBudget(1, 1_000);
    budget.take('a', 0);
    expect(budget.take('a', 900)).toBe(false);
    expect(budget.take('a', 1_800)).toBe(false); // still looping: 900 ms since its last call
    expect(budget.take('a', 3_000)).toBe(true); // idle for 1.2 s
  });

  it('remembers at most maxRuns runs, forgetting the least recently used', () => {
    const budget = new ToolCallBudget(1, 60_000, 3);
    for (const run of ['a', 'b', 'c']) budget.take(run, 0);
    budget.take('a', 1); // a is now the most recent
    budget.take('d', 2); // over the cap: b goes
    expect(budget.take('b', 3)).toBe(true);
    expect(budget.take('a', 4)).toBe(false);
  });

  it('refuses a budget that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => new ToolCallBudget(bad)).toThrow(TypeError);
  });
});
