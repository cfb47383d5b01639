import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { randomKey } from '../crypto.js';
import { fromStoredRecord, payloadDigestOf, toStoredRecord } from '../audit/stored-record.js';
import { auditRecords, PERSONAL } from '../test-support/audit-records.js';
import { verifyJsonlAuditLog } from './jsonl-log.js';
import { jsonlAuditSink, JsonlAuditSinkError, JsonlAuditSinkLockedError, type JsonlAuditSinkOptions } from './jsonl-sink.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));
afterEach(() => void vi.useRealTimers());

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ormai-jsonl-'));
  dirs.push(dir);
  return dir;
}

const logFiles = async (dir: string) => (await readdir(dir)).filter((name) => name.endsWith('.jsonl')).sort();
const lineOf = (text: string) => JSON.parse(text) as { link: { seq: number; recordId: string }; record: { id: string; envelope: string; payload: string | null } };

/** Every line of every log file, in order, with the file it sits in. */
async function allLines(dir: string) {
  const lines: Array<{ file: string; text: string }> = [];
  for (const file of await logFiles(dir)) {
    for (const text of (await readFile(join(dir, file), 'utf8')).split('\n').filter(Boolean)) lines.push({ file, text });
  }
  return lines;
}

/** Rewrites one file with `edit` applied to its lines. */
async function editFile(dir: string, file: string, edit: (lines: string[]) => string[]) {
  const lines = (await readFile(join(dir, file), 'utf8')).split('\n').filter(Boolean);
  await writeFile(join(dir, file), edit(lines).map((l) => `${l}\n`).join(''));
}

/** A log spread over several small files: 12 records, about 3 per file. */
async function rotatedLog(options: Partial<JsonlAuditSinkOptions> = {}) {
  const dir = await freshDir();
  const sink = await jsonlAuditSink({ dir, maxBytes: 4_000, ...options });
  const records = auditRecords(12);
  for (let i = 0; i < records.length; i += 4) await sink.write(records.slice(i, i + 4));
  return { dir, sink, records };
}

describe('jsonlAuditSink', () => {
  it('appends one {link, record} line per record, sealed in order, and reads them back', async () => {
    const dir = await freshDir();
    const sink = await jsonlAuditSink({ dir, prefix: 'calls' });
    const records = auditRecords(3);
    await sink.write(records.slice(0, 2));
    await sink.write(records.slice(2));
    const today = new Date().toISOString().slice(0, 10);
    expect(await logFiles(dir)).toEqual([`calls-${today}-001.jsonl`]);
    const lines = (await allLines(dir)).map((l) => lineOf(l.text));
    expect(lines.map((l) => [l.link.seq, l.link.recordId, l.record.id])).toEqual(records.map((r, i) => [i + 1, r.id, r.id]));
    expect(await sink.verify()).toMatchObject({ ok: true, count: 3, head: { seq: 3 } });
    expect(await sink.subjectAccess({ model: 'Customer', id: '42' })).toEqual(records);
    await sink.close();
  });

  it('rotates by size into numbered files, and the chain verifies across them', async () => {
    const { dir, sink } = await rotatedLog();
    const files = await logFiles(dir);
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(files.map((f) => f.slice(-9))).toEqual(files.map((_, i) => `${String(i + 1).padStart(3, '0')}.jsonl`));
    for (const file of files) expect((await readFile(join(dir, file))).length).toBeLessThanOrEqual(4_000);
    expect(await sink.verify()).toMatchObject({ ok: true, count: 12, head: { seq: 12 } });
    await sink.close();
  });

  it('rotates when the UTC date changes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T23:59:00Z'));
    const dir = await freshDir();
    const sink = await jsonlAuditSink({ dir });
    await sink.write(auditRecords(2));
    vi.setSystemTime(new Date('2026-03-02T00:01:00Z'));
    await sink.write(auditRecords(2));
    expect(await logFiles(dir)).toEqual(['audit-2026-03-01-001.jsonl', 'audit-2026-03-02-001.jsonl']);
    expect(await sink.verify()).toMatchObject({ ok: true, count: 4 });
    await sink.close();
  });

  it('continues the same chain after a restart, dropping a torn last line left by a crash', async () => {
    const { dir, sink, records } = await rotatedLog();
    await sink.close();
    const newest = (await logFiles(dir)).at(-1)!;
    await appendFile(join(dir, newest), '{"link":{"seq":13,"recordId":"half-writ'); // a crash in mid-append
    const reopened = await jsonlAuditSink({ dir, maxBytes: 4_000 });
    const more = auditRecords(2);
    await reopened.write(more);
    const lines = (await allLines(dir)).map((l) => lineOf(l.text));
    expect(lines.map((l) => l.link.seq)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    expect(lines.map((l) => l.record.id)).toEqual([...records, ...more].map((r) => r.id));
    expect(await reopened.verify()).toMatchObject({ ok: true, count: 14, head: { seq: 14 } });
    await reopened.close();
  });

  it('detects an edited envelope, an edited payload, a deleted line and swapped lines at their sequence', async () => {
    const cases: Array<{ problem: string; seq: number; edit: (lines: string[]) => string[] }> = [
      { problem: 'digest_mismatch', seq: 5, edit: (lines) => lines.map((l) => (lineOf(l).link.seq === 5 ? l.replace('\\"decision\\":\\"allowed\\"', '\\"decision\\":\\"policy_denied\\"') : l)) },
      { problem: 'payload_mismatch', seq: 6, edit: (lines) => lines.map((l) => (lineOf(l).link.seq === 6 ? l.replace('asked for a refund', 'asked for nothing') : l)) },
      { problem: 'sequence_gap', seq: 5, edit: (lines) => lines.filter((l) => lineOf(l).link.seq !== 5) },
      { problem: 'sequence_gap', seq: 5, edit: (lines) => { const at = lines.findIndex((l) => lineOf(l).link.seq === 5); [lines[at], lines[at + 1]] = [lines[at + 1]!, lines[at]!]; return lines; } },
    ];
    for (const { problem, seq, edit } of cases) {
      const { dir, sink } = await rotatedLog();
      const file = (await allLines(dir)).find((l) => lineOf(l.text).link.seq === 5)!.file;
      const before = await readFile(join(dir, file), 'utf8');
      await editFile(dir, file, edit);
      expect(await readFile(join(dir, file), 'utf8'), problem).not.toBe(before);
      expect(await sink.verify(), problem).toMatchObject({ ok: false, seq, problem });
      await sink.close();
    }
  });

  it('with a key, detects a cut tail and a forged head, and will not write over them after a restart', async () => {
    const key = randomKey();
    const { dir, sink } = await rotatedLog({ key });
    await sink.close();
    const reopened = await jsonlAuditSink({ dir, maxBytes: 4_000, key }); // an intact log reopens
    await reopened.write(auditRecords(1));
    expect(await reopened.verify()).toMatchObject({ ok: true, count: 13 });

    const newest = (await logFiles(dir)).at(-1)!;
    await editFile(dir, newest, (lines) => lines.slice(0, -1));
    expect(await reopened.verify()).toMatchObject({ ok: false, seq: 13, problem: 'truncated' });
    await reopened.close();
    await expect(jsonlAuditSink({ dir, maxBytes: 4_000, key })).rejects.toThrow(/does not reach its signed head/);
    expect(await readdir(dir)).not.toContain('audit.lock'); // a refused open releases the lock
    expect(await verifyJsonlAuditLog({ dir, key })).toMatchObject({ ok: false, seq: 13, problem: 'truncated' });
    expect(await verifyJsonlAuditLog({ dir })).toMatchObject({ ok: true, count: 12 }); // the chain alone cannot tell

    const head = join(dir, 'audit.head.json');
    const signed = JSON.parse(await readFile(head, 'utf8')) as { seq: number };
    await writeFile(head, JSON.stringify({ ...signed, seq: 12 }));
    expect(await verifyJsonlAuditLog({ dir, key })).toMatchObject({ ok: false, problem: 'bad_checkpoint' });
    await expect(jsonlAuditSink({ dir, key })).rejects.toBeInstanceOf(JsonlAuditSinkError);
  });

  it('erases a subject from every file and the chain still verifies', async () => {
    const dir = await freshDir();
    const sink = await jsonlAuditSink({ dir, maxBytes: 4_000 });
    const theirs = auditRecords(8);
    const others = auditRecords(4, { subjectId: '7' });
    for (let i = 0; i < 4; i++) await sink.write([theirs[2 * i]!, others[i]!, theirs[2 * i + 1]!]);
    const everything = async () => (await Promise.all((await readdir(dir)).map((f) => readFile(join(dir, f), 'utf8')))).join('\n');
    expect(await everything()).toContain(PERSONAL.email);
    expect((await logFiles(dir)).length).toBeGreaterThan(1);

    expect(await sink.eraseSubject({ model: 'Customer', id: '42' })).toBe(8);
    const text = await everything();
    expect(text).not.toContain(PERSONAL.email);
    expect(text).not.toContain(PERSONAL.name);
    expect(text).toContain('customer-7@example.test');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(await sink.subjectAccess({ model: 'Customer', id: '42' })).toEqual([]);
    expect(await sink.subjectAccess({ model: 'Customer', id: '7' })).toEqual(others);
    expect(await sink.verify()).toMatchObject({ ok: true, count: 12 });

    await sink.write(auditRecords(3)); // the log goes on after a rewrite
    expect(await sink.verify()).toMatchObject({ ok: true, count: 15 });
    expect(await sink.eraseSubject({ model: 'Customer', id: '42' })).toBe(3);
    await sink.close();
  });

  it("erasing one subject keeps a shared record in the other subject's access report", async () => {
    const sink = await jsonlAuditSink({ dir: await freshDir() });
    const [jane, bob] = [auditRecords(1)[0]!, auditRecords(1, { subjectId: '7' })[0]!];
    const payload = { ...jane.payload, subjects: [{ model: 'Customer', id: '42' }, { model: 'Customer', id: '7' }] };
    const both = { ...auditRecords(1)[0]!, payload, subjectCount: payload.subjects.length, payloadDigest: payloadDigestOf(payload) };
    await sink.write([jane, bob, both]);
    expect(await sink.eraseSubject({ model: 'Customer', id: '42' })).toBe(2);
    const erased = fromStoredRecord({ ...toStoredRecord(both), payload: null });
    expect(await sink.subjectAccess({ model: 'Customer', id: '7' })).toEqual([bob, erased]);
    expect(await sink.subjectAccess({ model: 'Customer', id: '42' })).toEqual([]);
    expect(await sink.eraseSubject({ model: 'Customer', id: '7' })).toBe(2);
    expect(await sink.subjectAccess({ model: 'Customer', id: '7' })).toEqual([]);
    expect(await sink.verify()).toMatchObject({ ok: true, count: 3 });
    await sink.close();
  });

  it('lets one sink hold a directory: a second is refused until the first closes', async () => {
    const dir = await freshDir();
    const first = await jsonlAuditSink({ dir });
    await first.write(auditRecords(1));
    await expect(jsonlAuditSink({ dir })).rejects.toBeInstanceOf(JsonlAuditSinkLockedError);
    const otherPrefix = await jsonlAuditSink({ dir, prefix: 'other' }); // another log, another lock
    await otherPrefix.close();
    await first.close();
    await expect(first.write(auditRecords(1))).rejects.toBeInstanceOf(JsonlAuditSinkError);
    const second = await jsonlAuditSink({ dir });
    await second.write(auditRecords(1));
    expect(await second.verify()).toMatchObject({ ok: true, count: 2 });
    await Promise.all([second.close(), second.close()]);
    expect(await readdir(dir)).not.toContain('audit.lock');
  });
});
