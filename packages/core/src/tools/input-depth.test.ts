import { describe, expect, it } from 'vitest';
import { checkInputShape, MAX_INPUT_DEPTH } from './input-depth.js';

const limits = { maxDepth: MAX_INPUT_DEPTH, maxValues: 64 * 1024 };

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { child: value };
  return value;
}

describe('checkInputShape', () => {
  it('counts object and array nesting: the bound itself passes, one more level does not', () => {
    expect(checkInputShape(nested(MAX_INPUT_DEPTH), limits)).toBe('ok');
    expect(checkInputShape(nested(MAX_INPUT_DEPTH + 1), limits)).toBe('too_deep');
    expect(checkInputShape('plain', limits)).toBe('ok');
  });

  it('walks any depth without recursion', () => {
    expect(checkInputShape(nested(1_000_000), limits)).toBe('too_deep');
  });

  it('ends on cycles and on shared references that would unfold exponentially', () => {
    const cycle: Record<string, unknown> = {};
    cycle.a = cycle;
    cycle.b = cycle;
    expect(checkInputShape(cycle, limits)).not.toBe('ok');
    let shared: unknown = 'leaf';
    for (let i = 0; i < 40; i++) shared = { a: shared, b: shared }; // 40 deep, 2^40 values once unfolded
    expect(checkInputShape(shared, limits)).toBe('too_many_values');
  });

  it('stops counting a wide input at maxValues', () => {
    expect(checkInputShape(new Array(1_000_000).fill(0), limits)).toBe('too_many_values');
    expect(checkInputShape(new Array(1_000).fill({ a: 1 }), limits)).toBe('ok');
  });
});
