import { describe, expect, it } from 'vitest';
import { SealScheduler } from './seal.js';

/** A run that finishes when the test says so. */
function controlledRuns() {
  const releases: Array<() => void> = [];
  let started = 0;
  const run = () => new Promise<void>((resolve) => {
    started += 1;
    releases.push(resolve);
  });
  return { run, started: () => started, release: (i: number) => releases[i]!() };
}

describe('SealScheduler', () => {
  it('coalesces requests into one run in flight and one pending', async () => {
    const runs = controlledRuns();
    const scheduler = new SealScheduler(runs.run, () => undefined);
    const first = scheduler.request();
    const queued = Array.from({ length: 10 }, () => scheduler.request());
    expect(runs.started()).toBe(1);
    runs.release(0);
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs.started()).toBe(2);
    runs.release(1);
    await Promise.all(queued);
    await scheduler.idle();
    expect(runs.started()).toBe(2);
  });

  it('reports a failed run and keeps serving requests', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const scheduler = new SealScheduler(async () => {
      calls += 1;
      if (calls === 1) throw new Error('database down');
    }, (error) => errors.push(error));
    await scheduler.request();
    await scheduler.request();
    expect(calls).toBe(2);
    expect(errors).toEqual([new Error('database down')]);
  });
});
