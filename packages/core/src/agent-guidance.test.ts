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

  it('names only the tools and models the switches leave: none under a domain-only policy', () => {
    const switched = definePolicy({
      tenantScope: { field: 'tenantId' },
      readOnly: false,
      tools: ['db_describe_schema', 'db_query', 'db_update'],
      models: { Order: { write: { update: true, writableFields: ['status'] } }, Note: { tools: [] } },
    });
    const text = agentGuidance(switched);
    expect(text).toContain('see the models (Order)');
    expect(text).toContain('Every change needs a reason.');
    expect(text).not.toContain('preview large changes');
    const domainOnly = agentGuidance(definePolicy({ tenantScope: { field: 'tenantId' }, tools: [], models: { Order: {} } }));
    expect(domainOnly).not.toContain('db_describe_schema');
    expect(domainOnly).toContain('the tools you were given');
  });
});
