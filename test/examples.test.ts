import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const example = fileURLToPath(new URL('../examples/quickstart/', import.meta.url));
const runScript = (script: string | string[]) =>
  run(process.execPath, ['--conditions=ormai-source', '--import', 'tsx', ...[script].flat()], { cwd: example, env: { ...process.env, OPENAI_API_KEY: '' } });

// Each test starts a Node process that compiles TypeScript: give it room on a loaded CI machine.
describe('examples run as documented', { timeout: 120_000 }, () => {
  it('the README quickstart prints the tenant own order, masked', async () => {
    const { stdout } = await runScript('src/quickstart.ts');
    const result = JSON.parse(stdout);
    expect(result.ok).toBe(true);
    expect(result.data.rows).toHaveLength(1);
    expect(result.data.rows[0]).toMatchObject({ status: 'open', email: 'j***@acme.test', amount: 120 });
    expect(stdout).not.toContain('globex');
  });

  it('the offline demo runs an agent through generateText: refusals, recovery, a final answer', async () => {
    const { stdout } = await runScript('src/demo.ts');
    expect(stdout).toContain('scripted offline model');
    for (const code of ['tenant_mismatch', 'field_not_allowed', 'scan_budget_exceeded']) expect(stdout).toContain(`refused ${code}`);
    // The retry after the scan budget used the indexed field from the suggestion, and was allowed.
    expect(stdout).toMatch(/db_aggregate \{[^\n]*"where":\{"field":"status","op":"eq","value":"refunded"\}\}\n\s+allowed/);
    expect(stdout).toMatch(/Answer:\n.*open support tickets/);
    expect(stdout).toMatch(/Revenue by order status: pending \$\d+\.\d\d/);
    expect(stdout).not.toMatch(/\$argon2id|globex-mail|[a-z]{2,}\.[a-z]+\d*@acme-mail\.test/); // hashes, other tenant, clear emails
  });

  it('the tool definitions for a 10-model schema cost under 1,200 tokens read-only, under 2,000 with every write tool', async () => {
    const { stdout } = await runScript(['src/tool-tokens.ts', '--json']);
    const { readTools, fullSet } = JSON.parse(stdout)['10-model schema'] as Record<'readTools' | 'fullSet', Record<string, number>>;
    const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    // The sets measured are the ones the bounds are about: every read tool, then every write tool too.
    expect(Object.keys(readTools).sort()).toEqual(['db_aggregate', 'db_describe_schema', 'db_get', 'db_query']);
    expect(Object.keys(fullSet).sort()).toEqual(
      ['db_aggregate', 'db_approval_status', 'db_bulk_update', 'db_create', 'db_delete', 'db_describe_schema', 'db_get', 'db_preview_write', 'db_query', 'db_update'],
    );
    expect(total(readTools)).toBeGreaterThan(500);
    expect(total(readTools)).toBeLessThan(1_200);
    expect(total(fullSet)).toBeLessThan(2_000);
  });
});
