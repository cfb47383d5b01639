import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditRetention } from '@ormai/core';
import { archiveAuditSegment } from './archive.js';
import type { SequelizeAuditSink } from './sink.js';

const DAY_MS = 86_400_000;

export interface AuditRetentionRunOptions {
  /** The policy's `audit.retention`: records older than `hotDays` leave the hot tables. */
  retention: AuditRetention;
  /** Where the archives go (the warm tier); move them to cold storage with your object store's lifecycle rules. */
  dir: string;
  /** The checkpoint key (`auditKeyFromSecret(secret)`). */
  key: Uint8Array;
  /** Epoch milliseconds; defaults to now. */
  now?: number | undefined;
  /** Records per archive file. Default 10,000. */
  maxRecordsPerFile?: number | undefined;
}

/**
 * The scheduled retention job: archives every sealed record past the hot period, oldest first, one
 * gzip JSON-lines file per segment (each ending with its signed checkpoint), deleting them from the
 * hot tables as it goes. Run it under the retention role. Returns the files written.
 */
export async function runAuditRetention(sink: SequelizeAuditSink, options: AuditRetentionRunOptions): Promise<{ archived: number; files: string[] }> {
  const now = options.now ?? Date.now();
  const before = now - options.retention.hotDays * DAY_MS;
  await mkdir(options.dir, { recursive: true });
  const files: string[] = [];
  let archived = 0;
  for (;;) {
    const { tablePrefix, chain } = sink.location;
    const file = join(options.dir, `${tablePrefix}-${chain}-${new Date(now).toISOString().slice(0, 10)}-${String(files.length + 1).padStart(4, '0')}.jsonl.gz`);
    const segment = await archiveAuditSegment(sink, { before, file, key: options.key, maxRecords: options.maxRecordsPerFile ?? 10_000 });
    if (!segment.archived) return { archived, files };
    archived += segment.archived;
    files.push(file);
  }
}
