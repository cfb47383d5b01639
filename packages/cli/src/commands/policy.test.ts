import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definePolicy, policyHash } from '@ormai/core';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../program.js';
import { runCliIn } from '../test-support/run-cli.js';
import { dropShop, newShopLocation, shopPolicyFor, shopPolicySpec, writeShopConfig } from '../test-support/index.js';

/** Runs `ormai ...` in this process, returning what it printed and the exit code it set. */
async function runProgram(args: string[]): Promise<{ stdout: string; exitCode: number | undefined }> {
  let stdout = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  try {
    await buildProgram().parseAsync(['node', 'ormai', ...args]);
  } finally {
    write.mockRestore();
  }
  const exitCode = process.exitCode === undefined ? undefined : Number(process.exitCode);
  process.exitCode = undefined;
  return { stdout, exitCode };
}

const dir = mkdtempSync(join(tmpdir(), 'ormai-cli-policy-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ormai policy through buildProgram()', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('exports a policy file as Markdown, diffs two files and lints one', async () => {
    const policy = definePolicy(shopPolicySpec());
    const before = file('before.json', policy);
    const loosened = shopPolicySpec();
    loosened.models.Customer!.fields = { passwordHash: 'allow' };
    const after = file('after.json', definePolicy(loosened));

    const exported = await runProgram(['policy', 'export', '--policy', before, '--format', 'md']);
    expect(exported.stdout).toContain(`Policy hash: \`${policyHash(policy)}\``);
    expect(exported.stdout).toContain('| refund | update, bulk_update |');

    const diff = await runProgram(['policy', 'diff', before, after, '--json', '--fail-on-grant']);
    expect(JSON.parse(diff.stdout)).toMatchObject({ grants: 1, changes: [{ group: 'fields', effect: 'grant', at: 'Customer.passwordHash' }] });
    expect(diff.exitCode).toBe(1);
    const informational = await runProgram(['policy', 'diff', before, after]);
    expect(informational.exitCode).toBe(0);
    expect(informational.stdout).toContain('Customer.passwordHash: newly readable, denied → in clear');

    const lint = await runProgram(['policy', 'lint', '--policy', after, '--json']);
    expect(lint.exitCode).toBe(1);
    expect(JSON.parse(lint.stdout).findings).toContainEqual(expect.objectContaining({ rule: 'secret-readable', severity: 'error', at: 'Customer.passwordHash' }));
  });

  it('refuses a diff without its second policy', async () => {
    await expect(runProgram(['policy', 'diff', file('only.json', definePolicy(shopPolicySpec()))])).rejects.toThrow(/give two policy files/);
  });
});

describe('ormai policy against a config (the real binary, SQLite file)', () => {
  const location = newShopLocation('sqlite');
  const broken = writeShopConfig(mkdtempSync(join(dir, 'broken-')), { dialect: 'sqlite', location, audit: false, breaks: ['secret-field'] });
  const project = mkdtempSync(join(dir, 'project-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ dependencies: { '@ormai/core': '0.1.0' } }));
  afterAll(() => dropShop(location));

  it("exports the config's tool switches and domain tools, and diffs a switch change", async () => {
    const switched = writeShopConfig(mkdtempSync(join(dir, 'switched-')), { dialect: 'sqlite', location, audit: false, switches: true, domainTools: true });
    const exported = await runCliIn(project, ['-c', switched, 'policy', 'export', '--json']);
    expect(exported.code, exported.stderr).toBe(0);
    const view = JSON.parse(exported.stdout) as { domainTools: Array<{ name: string; access: string }>; models: Array<{ name: string; tools: string[] }> };
    expect(view.domainTools.map((t) => `${t.name}:${t.access}`)).toEqual(['find_customer:read', 'close_ticket:write']);
    expect(view.models.find((m) => m.name === 'SupportTicket')!.tools).toEqual(['db_get', 'db_update']);

    const md = await runCliIn(project, ['-c', switched, 'policy', 'export', '--format', 'md']);
    expect(md.stdout).toContain('| find_customer | read | A customer of the current tenant, by id. |');
    expect(md.stdout).toContain('| Customer | none: domain tools only |');

    const reviewed = file('reviewed-before-switches.json', shopPolicyFor());
    const diff = await runCliIn(project, ['-c', switched, 'policy', 'diff', reviewed, '--from-config']);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain('Tool switches');
    expect(diff.stdout).toContain('- removes SupportTicket: db_query now switched off');
  });

  it('exports the bound view, lints it and diffs the running policy against the last reviewed one', async () => {
    const out = join(project, 'policy.md');
    const exported = await runCliIn(project, ['-c', broken, 'policy', 'export', '--format', 'md', '--out', out]);
    expect(exported.code, exported.stderr).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md).toContain(`Policy hash: \`${policyHash(shopPolicyFor({ breaks: ['secret-field'] }))}\``);
    expect(md).toContain('| passwordHash | string | in clear | yes | no |');

    const lint = await runCliIn(project, ['-c', broken, 'policy', 'lint'], { NODE_ENV: 'production' });
    expect(lint.code, lint.stderr).toBe(1);
    expect(lint.stdout).toMatch(/error .*secret-readable .*Customer\.passwordHash/);
    expect(lint.stdout).toContain('1 error, 1 warning.');

    const reviewed = file('reviewed.json', shopPolicyFor());
    const diff = await runCliIn(project, ['-c', broken, 'policy', 'diff', reviewed, '--from-config', '--fail-on-grant']);
    expect(diff.code, diff.stderr).toBe(1);
    expect(diff.stdout).toContain('field rules resolved against the schema');
    expect(diff.stdout).toContain('+ grants  Customer.passwordHash: newly readable, denied → in clear');
  });
});
