import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { ErrorCode, ErrorPayloadOf, ToolResult } from '@ormai/core';
import { expectError } from './assertions.js';

/** What a driver, a server or a socket says when it fails: none of it may reach the agent. */
const DRIVER_TEXT = /terminat|ECONN|EPIPE|socket|57P0|57014|08006|administrator|shutdown|postgres|127\.0\.0\.1|localhost|Sequelize|canceling statement|redis|ioredis/i;

/** A fault as the agent must see it: a structured refusal with `code`, retryable, and nothing of the driver in it. */
export function expectRetryable<C extends ErrorCode>(result: ToolResult, code: C): ErrorPayloadOf<C> {
  const error = expectError(result, code);
  expect(error.retryable).toBe(true);
  expect(JSON.stringify(error)).not.toMatch(DRIVER_TEXT);
  return error;
}

/**
 * After an outage: the call retried until it is served (bounded), as an agent would, every refusal meanwhile
 * being the retryable `code`. A poll, not a wait: clients reconnect on their own schedule.
 */
export async function untilServed(call: () => Promise<ToolResult>, code: ErrorCode): Promise<ToolResult> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const result = await call();
    if (result.ok) return result;
    expectRetryable(result, code);
    await sleep(100);
  }
  return call();
}
