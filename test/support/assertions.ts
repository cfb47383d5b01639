import { expect } from 'vitest';
import type { ErrorCode, ErrorPayloadOf, ToolResult } from '@ormai/core';
import { FORBIDDEN_MARKERS } from './shop.js';

/** The strongest check we have: serialize everything the agent would see and look for what must never be there. */
export function expectNoForbiddenValues(value: unknown): void {
  const text = JSON.stringify(value);
  for (const marker of FORBIDDEN_MARKERS) expect(text, `response contains ${marker}`).not.toContain(marker);
}

export function expectOk<T = any>(result: ToolResult): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.data as T;
}

/** The refusal, narrowed to `code`: its `details` are typed. */
export function expectError<C extends ErrorCode>(result: ToolResult, code: C): ErrorPayloadOf<C> {
  if (result.ok) throw new Error(`expected ${code}, got ok: ${JSON.stringify(result.data).slice(0, 300)}`);
  expect(result.error.code).toBe(code);
  expect(typeof result.error.message).toBe('string');
  expect(typeof result.error.retryable).toBe('boolean');
  expect(result.error.suggestion.length).toBeGreaterThan(0);
  expect(JSON.stringify(result.error)).not.toMatch(/SELECT|FROM\s|\bat\s.+\.(ts|js):\d+/);
  return result.error as ErrorPayloadOf<C>;
}
