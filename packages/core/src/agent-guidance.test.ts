import { describe, expect, it } from 'vitest';
import { agentGuidance } from './agent-guidance.js';
import { ERROR_CODES } from './errors.js';
import { definePolicy } from './policy/define-policy.js';

describe('agentGuidance', () => {
  const readOnly = definePolicy({ tenantScope: { field: 'tenantId' }, models: { Order: {} } });
  const writable = definePolicy({ tenantScope: { field: 'tenantId' }, readOnly: false, models: { Order: { write: { update: true, writableFields: ['status'] } } } });

  it('explains every error code a policy with writes can produce', () => {
    const text = agentGuidance(writable);
    for (const code of ERROR_CODES) expect(text).toContain(`- ${code}: `);
    expect(text).toContain('db_preview_write');
  });

  it('keeps read-only prompts short: no write codes', () => {
    const text = agentGuidance(readOnly);
    expect(text).toContain('- scan_budget_exceeded: ');
    expect(text).not.toContain('approval_required');
  });
});
