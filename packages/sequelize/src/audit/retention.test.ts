import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePolicy } from '@ormai/core';
import { verifyAuditArchive } from './archive-file.js';
import { runAuditRetention } from './retention.js';
import { auditRecord } from './test-support/records.js';
import { DIALECTS, openAuditDb, type AuditTestDb } from './test-support/harness.js';

const KEY = new Uint8Array(32).fill(9);
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 29);

describe.each(DIALECTS)('the retention job on %s', (dialect) => {
  let db: AuditTestDb;
  let dir: string;
  beforeAll(async () => {
    db = await openAuditDb(dialect);
    dir = mkdtempSync(join(tmpdir(), 'ormai-retention-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.close();
  });

  it("archives exactly what is past the policy's hot period, in files that verify, and the rest still verifies", async () => {
    const sink = db.sink({ key: KEY });
    const retention = definePolicy({ tenantScope: false, models: {}, audit: { retention: { hotDays: 30 } } }).audit.retention;
    expect(retention).toEqual({ hotDays: 30, warmDays: 365, coldDays: 2555 });
    await sink.write(Array.from({ length: 25 }, (_, i) => auditRecord({ at: NOW - 40 * DAY + i })));
    await sink.write(Array.from({ length: 5 }, (_, i) => auditRecord({ at: NOW - 29 * DAY + i })));
    await sink.sealAll();

    const run = await runAuditRetention(sink, { retention, dir: join(dir, dialect), key: KEY, now: NOW, maxRecordsPerFile: 10 });
    expect(run.archived).toBe(25);
    expect(run.files).toHaveLength(3);
    const counts = [];
    for (const file of run.files) {
      const verified = await verifyAuditArchive(file, KEY);
      expect(verified.ok).toBe(true);
      counts.push(verified.count);
    }
    expect(counts).toEqual([10, 10, 5]);
    expect(await sink.verify()).toMatchObject({ ok: true, count: 5, head: { seq: 30 } });
    expect(await runAuditRetention(sink, { retention, dir: join(dir, dialect), key: KEY, now: NOW })).toEqual({ archived: 0, files: [] });
  });
});
