import { describe, expect, it } from 'vitest';
import { DIALECTS } from './support/databases.js';
import { AGENT_A, usePropertyDatabase } from './support/property-fixture.js';
import { checkedCall } from './support/property-checks.js';
import { hostileCorpus } from './support/hostile-corpus.js';

/**
 * Every hostile input gets a structured error or a correct result (checkedCall: known code, no leak in
 * result or audit, nothing changed unless it was an allowed write, tenant B never touched), and the
 * process answers ordinary calls afterwards.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: hostile-input corpus`, () => {
    const fixture = usePropertyDatabase(dialect);
    const corpus = hostileCorpus();

    it('holds at least 300 inputs', () => {
      expect(corpus.length).toBeGreaterThanOrEqual(300);
    });

    it('each input is answered safely and the process stays healthy', { timeout: 180_000 }, async () => {
      const failures: string[] = [];
      for (const entry of corpus) {
        try {
          await checkedCall(fixture, entry.tool, entry.input);
        } catch (error) {
          failures.push(`${entry.name}: ${(error as Error).message}`);
        }
      }
      expect(failures).toEqual([]);
      expect(fixture.unexpected).toEqual([]);
      const healthy = await fixture.ormai.call('db_aggregate', { model: 'Customer', op: 'count' }, AGENT_A);
      expect(healthy).toMatchObject({ ok: true, data: { value: 6 } });
      expect((await fixture.ormai.audit.verify()).ok).toBe(true);
    });
  });
}
