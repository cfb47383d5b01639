// The file handling under the JSON-lines audit sink: naming, ordering, durable appends and atomic rewrites.
import { createReadStream } from 'node:fs';
import { open, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface LogFile {
  name: string;
  /** UTC date the file was started, YYYY-MM-DD. */
  date: string;
  /** 1, 2, ... within its date. */
  index: number;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const logFileName = (prefix: string, date: string, index: number) => `${prefix}-${date}-${String(index).padStart(3, '0')}.jsonl`;

/** The prefix's log files in write order: by date, then index (numerically, so 1000 follows 999). */
export async function listLogFiles(dir: string, prefix: string): Promise<LogFile[]> {
  const pattern = new RegExp(`^${escapeRegExp(prefix)}-(\\d{4}-\\d{2}-\\d{2})-(\\d{3,})\\.jsonl$`);
  const files = (await readdir(dir)).flatMap((name) => {
    const match = pattern.exec(name);
    return match ? [{ name, date: match[1]!, index: Number(match[2]) }] : [];
  });
  return files.sort((a, b) => (a.date === b.date ? a.index - b.index : a.date < b.date ? -1 : 1));
}

/** The file's lines, read as a stream (a file may be large). */
export async function* readLines(path: string): AsyncGenerator<string> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) if (line) yield line;
}

const TAIL_CHUNK = 64 * 1024;

/**
 * Drops a torn last line (a crash during an append the caller never saw acknowledged) and returns the
 * last complete line, or null when none is left, with the file's size afterwards. Reads backwards, so
 * a large file costs one chunk or two.
 */
export async function recoverTail(path: string): Promise<{ lastLine: string | null; size: number }> {
  const handle = await open(path, 'r+');
  try {
    const size = (await handle.stat()).size;
    let start = size;
    let tail = Buffer.alloc(0);
    const previousNewline = (end: number) => (end > 0 ? tail.lastIndexOf(0x0a, end - 1) : -1);
    while (start > 0) {
      const length = Math.min(TAIL_CHUNK, start);
      start -= length;
      const chunk = Buffer.alloc(length);
      await handle.read(chunk, 0, length, start);
      tail = Buffer.concat([chunk, tail]);
      const last = tail.lastIndexOf(0x0a);
      if (last !== -1 && previousNewline(last) !== -1) break;
    }
    const last = tail.lastIndexOf(0x0a);
    const completeSize = last === -1 ? start : start + last + 1;
    if (completeSize < size) {
      await handle.truncate(completeSize);
      await handle.sync();
    }
    if (last === -1) return { lastLine: null, size: completeSize };
    return { lastLine: tail.subarray(previousNewline(last) + 1, last).toString('utf8'), size: completeSize };
  } finally {
    await handle.close();
  }
}

/** Makes a new or renamed directory entry durable. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Appends and fsyncs: durable when it resolves. */
export async function appendDurably(path: string, text: string): Promise<void> {
  const handle = await open(path, 'a');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces a file atomically: a reader or a crash sees the old content or the new, never a mix. */
export async function replaceDurably(dir: string, name: string, text: string): Promise<void> {
  const temp = join(dir, `.${name}.tmp`);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, join(dir, name));
  await syncDir(dir);
}
