import { rename } from 'node:fs/promises';
import { fromStoredRecord, type AuditEnvelope, type AuditRecord, type SubjectQuery, type SubjectRef } from '@ormai/core';
import { readArchiveFile, writeArchiveFile, type ArchiveEntry } from './archive-file.js';

const same = (a: SubjectRef, b: SubjectRef) => a.model === b.model && a.id === String(b.id);

/** The subjects an archived record names: from its payload, or (once erased) from the index kept beside it. */
const subjectsOf = (entry: ArchiveEntry): SubjectRef[] =>
  entry.record.payload === null ? (entry.subjects ?? []) : fromStoredRecord(entry.record).payload.subjects;

/** The entry names the subject, and belongs to the query's tenant when it names one (`null`: tenant-free records). */
const involves = (entry: ArchiveEntry, subject: SubjectQuery): boolean =>
  subjectsOf(entry).some((s) => same(s, subject))
  && (subject.tenantId === undefined || (JSON.parse(entry.record.envelope) as AuditEnvelope).tenantId === subject.tenantId);

/** An archive's records involving the subject, oldest first: subject access requests cover the warm and cold tiers too. */
export async function archiveSubjectAccess(file: string, subject: SubjectQuery): Promise<AuditRecord[]> {
  const { entries } = await readArchiveFile(file);
  return entries.filter((entry) => involves(entry, subject)).map((entry) => fromStoredRecord(entry.record));
}

/**
 * Erasure reaching the archives: rewrites the file (a temporary copy, fsynced, then renamed over it)
 * with the subject's payloads removed. Links, envelopes and checkpoints are untouched, so the archive
 * still verifies. Returns the records erased.
 */
export async function eraseSubjectFromArchive(file: string, subject: SubjectQuery): Promise<number> {
  const archive = await readArchiveFile(file);
  let erased = 0;
  const entries = archive.entries.map((entry): ArchiveEntry => {
    if (!involves(entry, subject)) return entry;
    const subjects = subjectsOf(entry);
    erased += 1;
    const others = subjects.filter((s) => !same(s, subject));
    return { link: entry.link, record: { ...entry.record, payload: null }, ...(others.length ? { subjects: others } : {}) };
  });
  if (!erased) return 0;
  const temporary = `${file}.erasing`;
  await writeArchiveFile(temporary, { ...archive, entries }, 'w');
  await rename(temporary, file);
  return erased;
}
