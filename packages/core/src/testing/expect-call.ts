import type { RunContext } from '../spec/context.js';
import type { ErrorCode, ErrorPayloadOf } from '../spec/errors.js';
import type { OrmAI } from '../spec/ormai.js';
import type { CallOptions } from '../spec/pipeline.js';
import type { ToolInput, ToolName, ToolOutput, ToolResult } from '../spec/tools.js';

/** A policy expectation that did not hold. A plain Error, so any test runner reports it. */
export class CallExpectationError extends Error {
  constructor(
    message: string,
    /** What the call answered. */
    readonly actual: ToolResult,
  ) {
    super(message);
    this.name = 'CallExpectationError';
  }
}

export interface CallExpectation<N extends ToolName> {
  /** Resolves with the call's data when it succeeded; throws otherwise. */
  toSucceed(): Promise<ToolOutput<N>>;
  /** Resolves with the error when the call was refused with `code`; throws when it succeeded or failed otherwise. */
  toFailWith<C extends ErrorCode>(code: C): Promise<ErrorPayloadOf<C>>;
  /** The call succeeded with exactly `count` rows (`db_query` rows, `db_get`'s one row, `db_aggregate` groups). */
  toReturnRows(count: number): Promise<ToolOutput<N>>;
}

/** Rows in a successful result, when its kind has rows. */
function rowsIn(data: unknown): number | null {
  if (!data || typeof data !== 'object') return null;
  if ('rows' in data && Array.isArray(data.rows)) return data.rows.length;
  if ('groups' in data && Array.isArray(data.groups)) return data.groups.length;
  if ('row' in data) return data.row ? 1 : 0;
  return null;
}

const outcome = (result: ToolResult): string => {
  if (!result.ok) return `it failed with ${result.error.code}: ${result.error.message}`;
  const rows = rowsIn(result.data);
  return rows === null ? 'it succeeded' : `it succeeded with ${rows} row${rows === 1 ? '' : 's'}`;
};

/**
 * A policy's own regression test: `await expectCall(ormai, alice, 'db_get', { model: 'Customer', id: 1, select: ['taxId'] }).toFailWith('field_not_allowed')`.
 * The call runs once, through the whole pipeline (audit included), when the first expectation is awaited.
 */
export function expectCall<C extends RunContext, N extends ToolName>(ormai: OrmAI<C>, context: C, tool: N, input: ToolInput<N>, options?: CallOptions): CallExpectation<N> {
  let result: Promise<ToolResult<ToolOutput<N>>> | null = null;
  const run = () => (result ??= ormai.call(tool, input, context, options));
  const what = () => {
    const model = input && typeof input === 'object' && 'model' in input && typeof input.model === 'string' ? ` on ${input.model}` : '';
    return `${tool}${model} as ${context.userId}${context.tenantId !== undefined ? ` of ${context.tenantId}` : ''}`;
  };
  const succeeded = async (): Promise<ToolOutput<N>> => {
    const answer = await run();
    if (!answer.ok) throw new CallExpectationError(`expected ${what()} to succeed, but ${outcome(answer)}`, answer);
    return answer.data;
  };
  return {
    toSucceed: succeeded,
    async toFailWith<E extends ErrorCode>(code: E) {
      const answer = await run();
      if (answer.ok || answer.error.code !== code) throw new CallExpectationError(`expected ${what()} to fail with ${code}, but ${outcome(answer)}`, answer);
      return answer.error as ErrorPayloadOf<E>;
    },
    async toReturnRows(count) {
      const data = await succeeded();
      const rows = rowsIn(data);
      if (rows !== count) {
        const got = rows === null ? 'its result has no rows' : `it returned ${rows}`;
        throw new CallExpectationError(`expected ${what()} to return ${count} row${count === 1 ? '' : 's'}, but ${got}`, { ok: true, data });
      }
      return data;
    },
  };
}
