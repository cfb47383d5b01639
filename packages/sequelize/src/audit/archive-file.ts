import { open, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { checkpointIsAuthentic, verifyAuditChain, type ChainCheckpoint, type ChainLink, type ChainVerification, type StoredAuditRecord, type SubjectRef } from '@ormai/core';
import { AuditStoreError } from './errors.js';

export interface ArchiveEntry {
  link: ChainLink;
  record: StoredAuditRecord;
  /** Once the payload is erased: the subjects it named that were not erased. */
  subjects?: SubjectRef[];
}

/** An archive's content: the checkpoint it starts after, its links in order, the checkpoint it ends at. */
export interface AuditArchive {
  previous: ChainCheckpoint | null;
  entries: ArchiveEntry[];
  checkpoint: ChainCheckpoint;
}

/** Gzip JSON lines: the previous checkpoint (or null), one line per link with its record, the new checkpoint. Never overwrites; fsynced. */
export async function writeArchiveFile(file: string, archive: AuditArchive, flag: 'wx' | 'w' = 'wx'): Promise<void> {
  const lines = [JSON.stringify(archive.previous), ...archive.entries.map((entry) => JSON.stringify(entry)), JSON.stringify(archive.checkpoint)];
  const compressed = await promisify(gzip)(`${lines.join('\n')}\n`);
  const handle = await open(file, flag);
  try {
    await handle.writeFile(compressed);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function readArchiveFile(file: string): Promise<AuditArchive> {
  let lines: unknown[];
  try {
    const text = (await promisify(gunzip)(await readFile(file))).toString('utf8');
    lines = text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as unknown);
  } catch (error) {
    throw new AuditStoreError('bad_archive', `${file} is not a readable audit archive: ${(error as Error).message}`);
  }
  if (lines.length < 2 || lines[lines.length - 1] === null) throw new AuditStoreError('bad_archive', `${file} has no closing checkpoint`);
  return {
    previous: lines[0] as ChainCheckpoint | null,
    entries: lines.slice(1, -1) as ArchiveEntry[],
    checkpoint: lines[lines.length - 1] as ChainCheckpoint,
  };
}

/**
 * Verifies an archive on its own: its closing checkpoint is authentic, its links continue from its
 * opening checkpoint (or the chain's start) and end exactly at the closing one, every record matches
 * its link.
 */
export async function verifyAuditArchive(file: string, key: Uint8Array): Promise<ChainVerification> {
  const { previous, entries, checkpoint } = await readArchiveFile(file);
  const badCheckpoint = (count: number): ChainVerification => ({ ok: false, count, seq: checkpoint.seq, problem: 'bad_checkpoint' });
  if (!checkpointIsAuthentic(key, checkpoint) || (previous && previous.chain !== checkpoint.chain)) return badCheckpoint(0);
  const records = new Map(entries.map((entry) => [entry.record.id, entry.record]));
  const result = verifyAuditChain({
    links: entries.map((entry) => entry.link), record: (id) => records.get(id), checkpoint: previous, key, expectedHead: { seq: checkpoint.seq, hash: checkpoint.headHash },
  });
  if (!result.ok) return result;
  if (result.head?.seq !== checkpoint.seq || checkpoint.count !== (previous?.count ?? 0) + result.count) return badCheckpoint(result.count);
  return result;
}
