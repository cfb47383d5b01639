import { describe, expect, it } from 'vitest';
import { errors, OrmAIError } from './errors.js';

describe('OrmAIError', () => {
  it('is recognised across package copies through its symbol, not instanceof', () => {
    const foreign = { [Symbol.for('ormai.error')]: true, code: 'not_found' };
    expect(OrmAIError.isInstance(foreign)).toBe(true);
    expect(OrmAIError.isInstance(new Error('x'))).toBe(false);
    expect(OrmAIError.isInstance(errors.notFound('Order'))).toBe(true);
  });

  it('serializes to the agent-facing payload only', () => {
    const error = errors.scanBudgetExceeded({ model: 'Order', maxScanRows: 10_000, indexedFields: ['id', 'status'] });
    expect(error.toJSON()).toEqual({
      code: 'scan_budget_exceeded',
      message: expect.stringContaining('10000-row scan budget'),
      retryable: true,
      suggestion: expect.stringContaining('id, status'),
      details: { model: 'Order', maxScanRows: 10_000, indexedFields: ['id', 'status'] },
    });
    expect(Object.keys(error.toJSON())).not.toContain('stack');
  });
});
