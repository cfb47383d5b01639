import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveAuditSegment } from './archive.js';
import { readArchiveFile, verifyAuditArchive } from './archive-file.js';
import { auditRecord } from './test-support/records.js';
import { DIALECTS, openAuditDb, type AuditTestDb } from './test-support/harness.js';

const KEY = new Uint8Array(32).fill(7);
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);

describe.each(DIALECTS)('retention on %s', (dialect) => {
  let db: AuditTestDb;
  let dir: string;
  beforeAll(async () => {
    db = await openAuditDb(dialect);
    dir = mkdtempSync(join(tmpdir(), 'ormai-archive-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.close();
  });

  /** 30 sealed records: 20 older than 90 days, then 10 recent, with subjects. */
  const agedChain = async () => {
    const sink = db.sink({ key: KEY });
    const old = Array.from({ length: 20 }, (_, i) => auditRecord({ at: NOW - 200 * DAY + i, subjects: [{ model: 'Customer', id: String(i) }] }));
    const recent = Array.from({ length: 10 }, (_, i) => auditRecord({ at: NOW - DAY + i, subjects: [{ model: 'Customer', id: String(i) }] }));
    await sink.write(old);
    await sink.write(recent);
    await sink.sealAll();
    return { sink, old, recent };
  };
  const count = async (table: string, where = '') => Number((await db.rows<{ n: unknown }>(`SELECT count(*) AS n FROM ${db.table(table)} ${where}`))[0]!.n);

  it('archives the oldest segments; the rest and every archive verify on their own', async () => {
    const { sink, old } = await agedChain();
    const before = NOW - 90 * DAY;
    const first = await archiveAuditSegment(sink, { before, file: join(dir, `${dialect}-1.jsonl.gz`), key: KEY, maxRecords: 12 });
    expect(first).toMatchObject({ archived: 12, checkpoint: { chain: sink.location.chain, seq: 12, count: 12 } });
    expect(await sink.verify()).toMatchObject({ ok: true, count: 18, head: { seq: 30 } });

    const second = await archiveAuditSegment(db.sequelize, { before, file: join(dir, `${dialect}-2.jsonl.gz`), key: KEY, chain: sink.location.chain, tablePrefix: db.prefix });
    expect(second).toMatchObject({ archived: 8, checkpoint: { seq: 20, count: 20 } });
    expect(await sink.verify()).toMatchObject({ ok: true, count: 10, head: { seq: 30 } });
    // Nothing old enough is left: no archive is written.
    expect(await archiveAuditSegment(sink, { before, file: join(dir, `${dialect}-3.jsonl.gz`), key: KEY })).toEqual({ archived: 0, checkpoint: null, file: null });

    expect(await verifyAuditArchive(first.file!, KEY)).toMatchObject({ ok: true, count: 12, head: { seq: 12, hash: first.checkpoint!.headHash } });
    expect(await verifyAuditArchive(second.file!, KEY)).toMatchObject({ ok: true, count: 8, head: { seq: 20, hash: second.checkpoint!.headHash } });
    const archived = await readArchiveFile(second.file!);
    expect(archived.previous).toEqual(first.checkpoint);
    expect(archived.entries.map((e) => e.record.id)).toEqual(old.slice(12).map((r) => r.id));

    // The archived rows are gone from the hot tables, the recent ones stay.
    const ids = old.map((r) => `'${r.id}'`).join(', ');
    expect(await count('records', `WHERE id IN (${ids})`)).toBe(0);
    expect(await count('subjects', `WHERE record_id IN (${ids})`)).toBe(0);
    expect(await count('chain', `WHERE chain = '${sink.location.chain}'`)).toBe(10);

    // The chain keeps growing after the checkpoint.
    await sink.write([auditRecord({ at: NOW })]);
    await sink.sealAll();
    expect(await sink.verify()).toMatchObject({ ok: true, count: 11, head: { seq: 31 } });
  });

  it('detects a forged or removed checkpoint, and a missing key', async () => {
    const { sink } = await agedChain();
    await archiveAuditSegment(sink, { before: NOW - 90 * DAY, file: join(dir, `${dialect}-cp.jsonl.gz`), key: KEY, maxRecords: 5 });
    const chain = sink.location.chain;
    expect(await db.sink({ chain }).verify()).toEqual({ ok: false, count: 0, seq: 5, problem: 'bad_checkpoint' });
    expect(await db.sink({ chain, key: new Uint8Array(32) }).verify()).toEqual({ ok: false, count: 0, seq: 5, problem: 'bad_checkpoint' });
    await db.run(`UPDATE ${db.table('checkpoints')} SET head_hash = $2 WHERE chain = $1`, [chain, 'a'.repeat(64)]);
    expect(await sink.verify()).toEqual({ ok: false, count: 0, seq: 5, problem: 'bad_checkpoint' });
    await db.run(`DELETE FROM ${db.table('checkpoints')} WHERE chain = $1`, [chain]);
    expect(await sink.verify()).toEqual({ ok: false, count: 0, seq: 1, problem: 'sequence_gap' });
  });

  it('detects an edited, cut or re-signed archive', async () => {
    const { sink } = await agedChain();
    const file = join(dir, `${dialect}-edit.jsonl.gz`);
    await archiveAuditSegment(sink, { before: NOW - 90 * DAY, file, key: KEY });
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(22);
    const rewrite = (name: string, edited: string[]) => {
      const path = join(dir, `${dialect}-${name}.jsonl.gz`);
      writeFileSync(path, gzipSync(`${edited.join('\n')}\n`));
      return path;
    };
    const edited = [...lines];
    edited[4] = edited[4]!.replace('\\"tenantId\\":\\"acme\\"', '\\"tenantId\\":\\"globex\\"');
    expect(edited[4]).not.toBe(lines[4]);
    expect(await verifyAuditArchive(rewrite('edited', edited), KEY)).toEqual({ ok: false, count: 3, seq: 4, problem: 'digest_mismatch' });
    const cut = [...lines.slice(0, 20), lines[21]!];
    expect(await verifyAuditArchive(rewrite('cut', cut), KEY)).toEqual({ ok: false, count: 19, seq: 20, problem: 'truncated' });
    expect(await verifyAuditArchive(file, new Uint8Array(32))).toMatchObject({ ok: false, problem: 'bad_checkpoint' });
    await expect(verifyAuditArchive(rewrite('garbage', ['not json']), KEY)).rejects.toMatchObject({ code: 'bad_archive' });
  });

  it('refuses to archive a segment that does not verify', async () => {
    const { sink } = await agedChain();
    await db.run(`UPDATE ${db.table('records')} SET envelope = replace(envelope, '"durationMs":12', '"durationMs":13') WHERE id = (SELECT record_id FROM ${db.table('chain')} WHERE chain = $1 AND seq = 3)`, [sink.location.chain]);
    await expect(archiveAuditSegment(sink, { before: NOW, file: join(dir, `${dialect}-broken.jsonl.gz`), key: KEY })).rejects.toMatchObject({ code: 'chain_broken' });
    expect(await count('chain', `WHERE chain = '${sink.location.chain}'`)).toBe(30);
  });
});
