import { defineConfig } from '@ormai/cli';
import { createDemo } from './src/create-demo.js';

/**
 * `ormai verify` (and the other commands) against the demo shop, from this folder:
 * `npx ormai verify`. Each command builds a freshly seeded in-memory shop, so probes touch no real data.
 */
export default defineConfig({
  async setup() {
    const { ormai, auditSink, close } = await createDemo();
    return { ormai, audit: auditSink.location, close };
  },
  // Support staff of the demo's two tenants: the probes act as `a` and look for anything of `b`.
  principals: {
    a: { tenantId: 'acme', userId: 'verify-acme' },
    b: { tenantId: 'globex', userId: 'verify-globex' },
  },
  // Acme's finance staff: the approval probe denies each request it opens as them, so none is left pending.
  approver: { tenantId: 'acme', userId: 'verify-acme-finance', roles: ['finance'] },
});
