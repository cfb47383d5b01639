import { rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sealRecords, type ChainHead } from '../audit/chain.js';
import { fromStoredRecord, recordDigest, toStoredRecord } from '../audit/stored-record.js';
import type { AuditRecord, AuditSink, ChainVerification, SubjectQuery, SubjectRef } from '../spec/audit.js';
import { answers, sameSubject } from '../audit/subjects.js';
import { appendDurably, listLogFiles, logFileName, readLines, recoverTail, replaceDurably, syncDir, type LogFile } from './jsonl-files.js';
import { headFileName, parseLine, readSignedHead, signedHeadText, verifyJsonlAuditLog, type LogLine } from './jsonl-log.js';

export interface JsonlAuditSinkOptions {
  dir: string;
  /** File names are `<prefix>-YYYY-MM-DD-NNN.jsonl`. Default 'audit'. */
  prefix?: string | undefined;
  /** A file past this size is closed and the next one started. Default 64 MiB. */
  maxBytes?: number | undefined;
  /** Start a new file when the UTC date changes. Default true. */
  rotateDaily?: boolean | undefined;
  /**
   * The audit key. With it the sink keeps `<prefix>.head.json`, the chain's head signed after every
   * batch: `verify()` then reports a log whose tail was cut (lines deleted at the end), which the
   * chain alone cannot show, and the sink refuses to open (to seal over the cut) such a log. Give it
   * from a log's first write on, every time.
   */
  key?: Uint8Array | undefined;
}

/** Another sink (this process or another) holds the directory. */
/** The subjects a line names: from its payload, or (once erased) from the index kept beside it. */
const subjectsOf = (line: LogLine): SubjectRef[] =>
  line.record.payload === null ? (line.subjects ?? []) : fromStoredRecord(line.record).payload.subjects;

/** Whether a line answers the query: its subjects, and its tenant when the query names one. */
const lineAnswers = (line: LogLine, query: SubjectQuery): boolean => answers(fromStoredRecord(line.record).tenantId, subjectsOf(line), query);

export class JsonlAuditSinkLockedError extends Error {
  constructor(readonly lockFile: string) {
    super(`The audit log is in use: ${lockFile} exists. One process writes a directory; if none is running (a crash), remove the lock file.`);
    this.name = 'JsonlAuditSinkLockedError';
  }
}

/** The log cannot be continued (its last line is not a chain link) or the sink was closed. */
export class JsonlAuditSinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonlAuditSinkError';
  }
}

const MiB = 1024 * 1024;
const utcDate = () => new Date().toISOString().slice(0, 10);

/**
 * An append-only JSON-lines audit log on local disk (Node only): each line is a record and its chain
 * link, sealed in write order. See `jsonlAuditSink`.
 */
export class JsonlAuditSink implements AuditSink {
  readonly name = 'jsonl';
  private readonly prefix: string;
  private readonly maxBytes: number;
  private readonly rotateDaily: boolean;
  private readonly key: Uint8Array | undefined;
  private head: ChainHead | null = null;
  private current: (LogFile & { size: number }) | null = null;
  /** Set after a failed write: the file may hold part of that batch, so the tail is read again. */
  private stale = true;
  private closed = false;
  private closing: Promise<void> | null = null;
  /** Writes, erasures and reads run one at a time: an erasure rewrites the file a write appends to. */
  private turn: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    options: JsonlAuditSinkOptions,
    private readonly lockFile: string,
  ) {
    this.prefix = options.prefix ?? 'audit';
    this.maxBytes = options.maxBytes ?? 64 * MiB;
    this.rotateDaily = options.rotateDaily ?? true;
    this.key = options.key;
  }

  /** Takes the directory's lock and recovers the chain head from the newest file. */
  static async open(options: JsonlAuditSinkOptions): Promise<JsonlAuditSink> {
    const prefix = options.prefix ?? 'audit';
    const lockFile = join(options.dir, `${prefix}.lock`);
    try {
      await writeFile(lockFile, `${process.pid}\n`, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new JsonlAuditSinkLockedError(lockFile);
      throw error;
    }
    const sink = new JsonlAuditSink(options.dir, options, lockFile);
    try {
      await sink.recover();
      return sink;
    } catch (error) {
      await rm(lockFile, { force: true });
      throw error;
    }
  }

  write(records: readonly AuditRecord[]): Promise<void> {
    return this.exclusive(() => this.append(records));
  }

  /** Walks every file in order; reports the first broken, missing or reordered record by sequence. */
  verify(): Promise<ChainVerification> {
    return this.exclusive(() => verifyJsonlAuditLog({ dir: this.dir, prefix: this.prefix, key: this.key }));
  }

  subjectAccess(subject: SubjectQuery): Promise<AuditRecord[]> {
    return this.exclusive(async () => {
      const found = new Map<string, AuditRecord>(); // by id: a retried batch may repeat a record
      for (const file of await this.files()) {
        for await (const text of readLines(this.path(file))) {
          const line = parseLine(text);
          if (line && lineAnswers(line, subject) && !found.has(line.record.id)) found.set(line.record.id, fromStoredRecord(line.record));
        }
      }
      return [...found.values()];
    });
  }

  /** Rewrites each file holding the subject (atomically) with those payloads null; links and envelopes stay. */
  eraseSubject(subject: SubjectQuery): Promise<number> {
    return this.exclusive(async () => {
      const erased = new Set<string>();
      for (const file of await this.files()) {
        const lines: string[] = [];
        let changed = false;
        for await (const text of readLines(this.path(file))) {
          const line = parseLine(text);
          const subjects = line ? subjectsOf(line) : [];
          if (line && lineAnswers(line, subject)) {
            const others = subjects.filter((s) => !sameSubject(s, subject));
            lines.push(JSON.stringify({ link: line.link, record: { ...line.record, payload: null }, ...(others.length ? { subjects: others } : {}) }));
            erased.add(line.record.id);
            changed = true;
          } else lines.push(text);
        }
        if (!changed) continue;
        await replaceDurably(this.dir, file.name, lines.map((l) => `${l}\n`).join(''));
        if (this.current?.name === file.name) this.current.size = (await stat(this.path(file))).size;
      }
      return erased.size;
    });
  }

  /** Waits for the work in flight and releases the directory. */
  close(): Promise<void> {
    this.closing ??= this.exclusive(async () => {
      this.closed = true;
      await rm(this.lockFile, { force: true });
    });
    return this.closing;
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.turn.then(() => {
      if (this.closed) throw new JsonlAuditSinkError('The JSON-lines audit sink is closed');
      return task();
    });
    this.turn = run.catch(() => undefined);
    return run;
  }

  private async append(records: readonly AuditRecord[]): Promise<void> {
    if (!records.length) return;
    if (this.stale) await this.recover();
    const stored = records.map(toStoredRecord);
    const links = sealRecords(this.head, stored.map((r) => ({ recordId: r.id, digest: recordDigest(r) })));
    const lines = links.map((link, i) => `${JSON.stringify({ link, record: stored[i] })}\n`);
    this.stale = true;
    for (const { file, text, created } of this.placeLines(lines)) {
      await appendDurably(this.path(file), text);
      if (created) await syncDir(this.dir); // make the new file's name durable too
    }
    this.head = links[links.length - 1]!;
    this.stale = false;
    if (this.key) await replaceDurably(this.dir, headFileName(this.prefix), signedHeadText(this.key, this.head));
  }

  /**
   * Assigns lines to files: a new one when the date changes (rotateDaily) or the next line would pass
   * maxBytes. Updates `current` ahead of the writes: a failed write marks the sink stale, and the
   * next one reads the real state back from disk.
   */
  private placeLines(lines: string[]): Array<{ file: LogFile; text: string; created: boolean }> {
    const placed: Array<{ file: LogFile; text: string; created: boolean }> = [];
    let today = utcDate();
    for (const line of lines) {
      const bytes = Buffer.byteLength(line);
      const current = this.current;
      if (current && today < current.date) today = current.date; // the clock went back: keep the files in order
      const created = !current || (this.rotateDaily && current.date !== today) || (current.size > 0 && current.size + bytes > this.maxBytes);
      if (created) {
        const index = current && current.date === today ? current.index + 1 : 1;
        this.current = { name: logFileName(this.prefix, today, index), date: today, index, size: 0 };
      }
      const file = this.current!;
      file.size += bytes;
      const last = placed[placed.length - 1];
      if (last?.file.name === file.name) last.text += line;
      else placed.push({ file, text: line, created });
    }
    return placed;
  }

  /** Continues after the newest complete line: drops a torn tail, reads the head, and the file sizes. */
  private async recover(): Promise<void> {
    const files = await this.files();
    this.head = null;
    this.current = null;
    for (const file of files.reverse()) {
      const { lastLine, size } = await recoverTail(this.path(file));
      this.current ??= { ...file, size };
      if (lastLine === null) continue;
      const line = parseLine(lastLine);
      if (!line) throw new JsonlAuditSinkError(`The last line of ${file.name} is not a chain link: run verifyJsonlAuditLog() and repair the log before writing`);
      this.head = { seq: line.link.seq, hash: line.link.hash };
      break;
    }
    if (this.key) await this.checkSignedHead();
    this.stale = false;
  }

  /**
   * With a key, the log must reach the signed head (it may pass it: a crash between the append and
   * the head's update). Otherwise its tail was cut, or the head forged: continuing would seal over
   * the evidence, so the sink refuses to write.
   */
  private async checkSignedHead(): Promise<void> {
    const signed = await readSignedHead(this.dir, this.prefix, this.key!);
    if (!signed && this.head === null) return replaceDurably(this.dir, headFileName(this.prefix), signedHeadText(this.key!, null)); // a new log
    const reached = this.head?.seq ?? 0;
    if (!signed || reached < signed.seq || (reached === signed.seq && this.head?.hash !== signed.hash)) {
      throw new JsonlAuditSinkError(`The audit log in ${this.dir} does not reach its signed head (${this.prefix}.head.json): its tail was cut or the head was forged. Run verifyJsonlAuditLog(); keep the directory as evidence and start a new one.`);
    }
  }

  private files(): Promise<LogFile[]> {
    return listLogFiles(this.dir, this.prefix);
  }

  private path(file: LogFile): string {
    return join(this.dir, file.name);
  }
}

/**
 * Opens (or continues) a JSON-lines audit log in `dir`: one line `{"link", "record"}` per record,
 * fsynced per batch (durable when `write` resolves), rotated by size and UTC date into
 * `<prefix>-YYYY-MM-DD-NNN.jsonl`. The chain continues across files and across restarts (the head is
 * read back from the newest file). One process writes a directory: a lock file `<prefix>.lock`,
 * created exclusively here and removed by `close()`, refuses a second sink.
 */
export const jsonlAuditSink = (options: JsonlAuditSinkOptions): Promise<JsonlAuditSink> => JsonlAuditSink.open(options);
