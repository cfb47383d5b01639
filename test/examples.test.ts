import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const example = fileURLToPath(new URL('../examples/quickstart/', import.meta.url));
const runScript = (script: string) =>
  run(process.execPath, ['--conditions=ormai-source', '--import', 'tsx', script], { cwd: example, env: { ...process.env, OPENAI_API_KEY: '' } });

describe('examples run as documented', () => {
  it('the README quickstart prints the tenant own order, masked', async () => {
    const { stdout } = await runScript('src/quickstart.ts');
    const result = JSON.parse(stdout);
    expect(result.ok).toBe(true);
    expect(result.data.rows).toHaveLength(1);
    expect(result.data.rows[0]).toMatchObject({ status: 'open', email: 'j***@acme.test', amount: 120 });
    expect(stdout).not.toContain('globex');
  });

  it('the offline demo completes and shows each refusal', async () => {
    const { stdout } = await runScript('src/demo.ts');
    for (const code of ['tenant_mismatch', 'field_not_allowed', 'scan_budget_exceeded']) expect(stdout).toContain(code);
    expect(stdout).not.toMatch(/\$argon2id|globex-mail/);
  });
});
