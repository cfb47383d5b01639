import { describe, expect, it } from 'vitest';
import { resolveRunContext } from './run-context.js';

const source = (experimentalContext: unknown) => ({ toolName: 'db_query', experimentalContext });

describe('resolveRunContext', () => {
  it('prefers the context option, static or resolved per call', async () => {
    const ctx = { tenantId: 't1', userId: 'u1' };
    expect(await resolveRunContext(ctx, source({ tenantId: 'other', userId: 'x' }))).toBe(ctx);
    const fromSession = await resolveRunContext(({ experimentalContext }) => ({ tenantId: String((experimentalContext as { t: string }).t), userId: 'u' }), source({ t: 't9' }));
    expect(fromSession).toEqual({ tenantId: 't9', userId: 'u' });
  });

  it('falls back to a valid experimental_context, and to nothing otherwise', async () => {
    expect(await resolveRunContext(undefined, source({ tenantId: 't2', userId: 'u2', sessionId: 's' }))).toEqual({ tenantId: 't2', userId: 'u2', sessionId: 's' });
    expect(await resolveRunContext(undefined, source({ tenant: 't2' }))).toBeUndefined();
    expect(await resolveRunContext(undefined, source(undefined))).toBeUndefined();
  });
});
