import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveAuditSegment } from './archive.js';
import { verifyAuditArchive } from './archive-file.js';
import { archiveSubjectAccess, eraseSubjectFromArchive } from './archive-subjects.js';
import { auditRecord } from './test-support/records.js';
import { openAuditDb, type AuditTestDb } from './test-support/harness.js';

const KEY = new Uint8Array(32).fill(5);
const JANE = { model: 'Customer', id: '42' };
const BOB = { model: 'Customer', id: '7' };

describe('erasure and subject access reach the archives', () => {
  let db: AuditTestDb;
  let dir: string;
  beforeAll(async () => {
    db = await openAuditDb('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'ormai-archive-erase-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.close();
  });

  it("removes the subject's payloads from an archive that still verifies, and keeps other subjects' access", async () => {
    const sink = db.sink({ key: KEY });
    const jane = auditRecord({ reason: 'Jane Doe-Whitfield asked', subjects: [JANE], input: { model: 'Customer', where: { field: 'name', op: 'eq', value: 'Jane Doe-Whitfield' } } });
    const both = auditRecord({ reason: 'Jane Doe-Whitfield and Bob', subjects: [JANE, BOB] });
    const bob = auditRecord({ subjects: [BOB] });
    await sink.write([jane, both, bob]);
    await sink.sealAll();
    const file = join(dir, 'segment.jsonl.gz');
    expect(await archiveAuditSegment(sink, { before: Date.now() + 1e12, file, key: KEY })).toMatchObject({ archived: 3 });
    expect((await archiveSubjectAccess(file, JANE)).map((r) => r.id)).toEqual([jane.id, both.id]);

    expect(await eraseSubjectFromArchive(file, JANE)).toBe(2);
    expect(gunzipSync(readFileSync(file)).toString('utf8')).not.toContain('Jane Doe-Whitfield');
    expect(await verifyAuditArchive(file, KEY)).toMatchObject({ ok: true, count: 3 });
    expect(await archiveSubjectAccess(file, JANE)).toEqual([]);
    expect((await archiveSubjectAccess(file, BOB)).map((r) => [r.id, r.payload.subjects.length])).toEqual([[both.id, 0], [bob.id, 1]]);
    expect(await eraseSubjectFromArchive(file, JANE)).toBe(0);
  });

  it("with a tenant, reaches only that tenant's archived records of the subject", async () => {
    const sink = db.sink({ key: KEY });
    const acme = auditRecord({ tenantId: 'acme', subjects: [JANE], reason: 'acme asked' });
    const globex = auditRecord({ tenantId: 'globex', subjects: [JANE], reason: 'globex asked' });
    const tenantFree = auditRecord({ tenantId: null, subjects: [JANE] });
    await sink.write([acme, globex, tenantFree]);
    await sink.sealAll();
    const file = join(dir, 'tenants.jsonl.gz');
    expect(await archiveAuditSegment(sink, { before: Date.now() + 1e12, file, key: KEY })).toMatchObject({ archived: 3 });

    expect((await archiveSubjectAccess(file, { ...JANE, tenantId: 'acme' })).map((r) => r.id)).toEqual([acme.id]);
    expect((await archiveSubjectAccess(file, { ...JANE, tenantId: null })).map((r) => r.id)).toEqual([tenantFree.id]);
    expect(await eraseSubjectFromArchive(file, { ...JANE, tenantId: 'globex' })).toBe(1);
    expect(gunzipSync(readFileSync(file)).toString('utf8')).not.toContain('globex asked');
    expect((await archiveSubjectAccess(file, JANE)).map((r) => r.id)).toEqual([acme.id, tenantFree.id]);
    expect(await verifyAuditArchive(file, KEY)).toMatchObject({ ok: true, count: 3 });
  });
});
