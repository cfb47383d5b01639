const marker = Symbol.for('ormai.execution-limit');

export class ExecutionLimitError extends Error {
  private readonly [marker] = true;
  constructor(
    readonly kind: 'scan_budget_exceeded' | 'statement_timeout',
    readonly model: string,
    /** The budget that was hit: maxScanRows or statementTimeoutMs. */
    readonly limit: number,
    /** The adapter's estimate, for logs only: it counts other tenants' rows, so it never reaches the agent. */
    readonly estimatedRows = 0,
  ) {
    super(`${kind} on ${model}`);
    this.name = 'ExecutionLimitError';
  }

  static isInstance(value: unknown): value is ExecutionLimitError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }
}
