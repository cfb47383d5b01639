import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from './support/databases.js';
import { AGENT_A, PROPERTY_RUNS, PROPERTY_SEED, propertyTimeout, usePropertyDatabase } from './support/property-fixture.js';
import { oracleQuery, plausibleFilter } from './support/property-plausible.js';
import { oracleCount, oracleRows, type OracleQuery } from './support/property-oracle.js';
import type { PropertyModels } from './support/property-schema.js';

/** Allowed reads return exactly what a hand-written, tenant-filtered Sequelize query returns, projected and masked. */
for (const dialect of DIALECTS) {
  describe(`${dialect}: differential oracle`, () => {
    const fixture = usePropertyDatabase(dialect);
    const options = { numRuns: PROPERTY_RUNS, seed: PROPERTY_SEED, endOnFailure: true };
    /** OrmAI's rows through JSON, as the agent receives them. */
    const asJson = (value: unknown) => JSON.parse(JSON.stringify(value));

    it('db_query rows equal the oracle rows', { timeout: propertyTimeout(2) }, async () => {
      let nonEmpty = 0;
      await fc.assert(
        fc.asyncProperty(oracleQuery, async (input) => {
          const result = await fixture.ormai.callTool('db_query', input, AGENT_A);
          if (!result.ok) throw new Error(`allowed read refused: ${JSON.stringify(result.error)}`);
          const expected = await oracleRows(fixture.models, dialect, input as unknown as OracleQuery);
          expect(asJson((result.data as { rows: unknown[] }).rows)).toEqual(asJson(expected));
          if (expected.length) nonEmpty += 1;
        }),
        options,
      );
      expect(nonEmpty).toBeGreaterThan(PROPERTY_RUNS * 0.3);
    });

    it('db_aggregate count equals the oracle count', { timeout: propertyTimeout(2) }, async () => {
      const counted = fc.record({ model: fc.constantFrom('Customer', 'Order', 'Note', 'Ticket') }).chain(({ model }) =>
        plausibleFilter(model).map((where) => ({ model, where })),
      );
      await fc.assert(
        fc.asyncProperty(counted, async ({ model, where }) => {
          const result = await fixture.ormai.callTool('db_aggregate', { model, op: 'count', where }, AGENT_A);
          if (!result.ok) throw new Error(`allowed count refused: ${JSON.stringify(result.error)}`);
          expect((result.data as { value: number }).value).toBe(await oracleCount(fixture.models, dialect, model as keyof PropertyModels, where as never));
        }),
        options,
      );
    });
  });
}
