import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from './support/databases.js';
import { PROPERTY_RUNS, PROPERTY_SEED, propertyTimeout, usePropertyDatabase } from './support/property-fixture.js';
import { hostileRead, writeCall } from './support/property-arbitraries.js';
import { plausibleRead, plausibleWrite } from './support/property-plausible.js';
import { checkedCall } from './support/property-checks.js';
import { tableChecksum, TENANT_B } from './support/property-schema.js';

/**
 * Issue 14's invariants under random agent input, as tenant A: no row of tenant B, no denied value
 * and no clear masked value in any result, error or audit record; every refusal a structured error
 * with a known code; refused writes and previews change nothing; tenant B is never written.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: property-based tenant isolation`, () => {
    const fixture = usePropertyDatabase(dialect);
    const options = { numRuns: PROPERTY_RUNS, seed: PROPERTY_SEED, endOnFailure: true };

    it('random reads (query, get, aggregate; includes both ways; forged tenants; cursors) never leak', { timeout: propertyTimeout(3) }, async () => {
      let answered = 0;
      await fc.assert(
        fc.asyncProperty(fc.oneof(plausibleRead, hostileRead), async ([tool, input]) => {
          const result = await checkedCall(fixture, tool, input);
          if (!result.ok) return;
          answered += 1;
          const next = (result.data as { nextCursor?: string | null }).nextCursor;
          // Follow a real cursor: the second page is held to the same rules.
          if (tool === 'db_query' && next) await checkedCall(fixture, tool, { ...input, cursor: next });
        }),
        options,
      );
      expect(fixture.unexpected).toEqual([]);
      // Enough of the inputs must get through to make the property mean something.
      expect(answered).toBeGreaterThan(PROPERTY_RUNS * 0.3);
    });

    it('random writes and previews never reach tenant B and change nothing when refused', { timeout: propertyTimeout(1) }, async () => {
      // Each call is checked with the change counters; a digest of tenant B's rows backs them over the whole run.
      const otherTenantBefore = await tableChecksum(fixture.db.sequelize, TENANT_B);
      let allowed = 0;
      await fc.assert(
        fc.asyncProperty(fc.oneof(plausibleWrite, writeCall), async ([tool, input]) => {
          if ((await checkedCall(fixture, tool, input)).ok) allowed += 1;
        }),
        options,
      );
      expect(fixture.unexpected).toEqual([]);
      expect(await tableChecksum(fixture.db.sequelize, TENANT_B)).toBe(otherTenantBefore);
      expect(allowed).toBeGreaterThan(PROPERTY_RUNS * 0.1);
    });
  });
}
