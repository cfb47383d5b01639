// Reading a JSON-lines audit log: its lines, its signed head, and verification without the writer's lock.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GENESIS_HASH, signCheckpoint, verifyAuditChain, type ChainHead } from '../audit/chain.js';
import { constantTimeEqual, hmacHex, randomKey, utf8ToBytes } from '../crypto.js';
import type { ChainLink, ChainVerification, StoredAuditRecord, SubjectRef } from '../spec/audit.js';
import { listLogFiles } from './jsonl-files.js';

/** One line of a log file. */
export interface LogLine {
  link: ChainLink;
  record: StoredAuditRecord;
  /** Once the payload is erased: the subjects it named that were not erased, so their access requests still find it. */
  subjects?: SubjectRef[];
}

export function parseLine(text: string): LogLine | null {
  try {
    const line = JSON.parse(text) as LogLine | null;
    return line?.link && line.record ? line : null;
  } catch {
    return null; // a damaged line: the walk reports the sequence it held
  }
}

export const headFileName = (prefix: string) => `${prefix}.head.json`;
const headBody = (head: ChainHead) => `jsonl-head|${head.seq}|${head.hash}`;

/** The content of `<prefix>.head.json`: the chain's head (genesis when empty), signed with the audit key. */
export function signedHeadText(key: Uint8Array, head: ChainHead | null): string {
  const reached = head ?? { seq: 0, hash: GENESIS_HASH };
  return JSON.stringify({ seq: reached.seq, hash: reached.hash, signature: hmacHex(key, headBody(reached)) });
}

/** The signed head; null when it is missing or its signature is wrong. */
export async function readSignedHead(dir: string, prefix: string, key: Uint8Array): Promise<ChainHead | null> {
  try {
    const { seq, hash, signature } = JSON.parse(await readFile(join(dir, headFileName(prefix)), 'utf8')) as ChainHead & { signature: unknown };
    const authentic = constantTimeEqual(utf8ToBytes(hmacHex(key, headBody({ seq, hash }))), utf8ToBytes(String(signature)));
    return authentic ? { seq, hash } : null;
  } catch {
    return null;
  }
}

export interface VerifyJsonlAuditLogOptions {
  dir: string;
  /** Default 'audit'. */
  prefix?: string | undefined;
  /** The audit key the log was written with: checks the signed head, so a cut tail is reported. */
  key?: Uint8Array | undefined;
}

/**
 * Walks a JSON-lines audit log, file after file, and reports the first broken, missing or reordered
 * record by sequence; with the key, a log that stops short of its signed head is `truncated`, a
 * missing or forged head `bad_checkpoint`. Reads only: no lock, so it runs beside the writer or on a copy.
 */
export async function verifyJsonlAuditLog(options: VerifyJsonlAuditLogOptions): Promise<ChainVerification> {
  const prefix = options.prefix ?? 'audit';
  const expectedHead = options.key ? await readSignedHead(options.dir, prefix, options.key) : undefined;
  if (expectedHead === null) return { ok: false, count: 0, seq: 0, problem: 'bad_checkpoint' };
  // One file in memory at a time. Each file continues where the previous ended, through a checkpoint
  // signed here with a throwaway key, so the walk is still one chain.
  const walkKey = randomKey();
  const files = await listLogFiles(options.dir, prefix);
  let head: ChainHead | null = null;
  let count = 0;
  for (const [i, file] of files.entries()) {
    const links: ChainLink[] = [];
    const records = new Map<string, StoredAuditRecord>();
    for (const text of (await readFile(join(options.dir, file.name), 'utf8')).split('\n')) {
      const line = text ? parseLine(text) : null;
      if (!line) continue;
      links.push(line.link);
      records.set(line.record.id, line.record);
    }
    const result = verifyAuditChain({
      links,
      record: (id) => records.get(id),
      checkpoint: head && signCheckpoint(walkKey, { chain: prefix, seq: head.seq, count, headHash: head.hash, at: 0 }),
      key: walkKey,
      expectedHead: i === files.length - 1 ? expectedHead : undefined,
    });
    if (!result.ok) return { ...result, count: count + result.count };
    count += result.count;
    head = result.head;
  }
  if (!files.length && expectedHead && expectedHead.seq > 0) return { ok: false, count: 0, seq: 1, problem: 'truncated' };
  return { ok: true, count, head };
}
