import type { AuditRecord, AuditSink, AuditWriteOptions, SubjectQuery } from '../spec/audit.js';

/** Some members of a tee failed (a write: the batch is not durable everywhere, so the caller retries it). */
export class TeeSinkError extends Error {
  readonly failures: ReadonlyArray<{ sink: string; error: unknown }>;
  constructor(failures: ReadonlyArray<{ sink: string; error: unknown }>) {
    super(`Audit sink(s) ${failures.map((f) => f.sink).join(', ')} failed: ${failures.map((f) => String((f.error as Error)?.message ?? f.error)).join('; ')}`);
    this.name = 'TeeSinkError';
    this.failures = failures;
  }
}

/** Runs `run` on every sink in parallel; rejects, once all have settled, if any failed. */
async function settleAll<T>(sinks: readonly AuditSink[], run: (sink: AuditSink) => Promise<T> | undefined): Promise<T[]> {
  const results = await Promise.allSettled(sinks.map(async (sink) => run(sink)));
  const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [{ sink: sinks[i]!.name, error: r.reason as unknown }] : []));
  if (failures.length) throw new TeeSinkError(failures);
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/** Ids of records written inside a transaction, remembered until their final record arrives. Oldest dropped first. */
const MAX_JOINED = 10_000;

/**
 * Writes every batch to all `sinks` at once and resolves only when all of them hold it, so
 * `fail_closed` holds for each. After a rejected batch, each member remembers which of its records it
 * already holds and skips them when the queue retries, so a member that succeeded gets no duplicates
 * (a SQL sink would refuse them). That memory covers the last batch only: the queue retries from its
 * head, one batch at a time.
 *
 * With a transaction, only the members that can join it are written (inside it): a member that
 * cannot would hold an 'allowed' record of a write that may still roll back. With more than one member
 * the tee asks for the final record (`wantsFinalRecord`): it goes to every other member, and to the
 * joined ones only when their copy rolled back (its decision is not 'allowed', or the joined write was
 * forgotten: past MAX_JOINED; SQL and memory sinks skip an id they hold).
 *
 * `subjectAccess` asks the first member that answers it; `eraseSubject` erases on every member that
 * can and returns the largest count (members hold the same records, so a sum would count them twice);
 * `verify` checks every member's chain and answers the first broken one.
 */
export function teeSink(...sinks: AuditSink[]): AuditSink {
  const wantsFinalRecord = sinks.length > 1;
  const held = new Map<AuditSink, Set<string>>(sinks.map((sink) => [sink, new Set()]));
  /** Record id -> the members that hold it from inside a write's transaction. */
  const joined = new Map<string, readonly AuditSink[]>();
  const reader = sinks.find((sink) => sink.subjectAccess);
  const erasers = sinks.filter((sink) => sink.eraseSubject);
  const verifiers = sinks.filter((sink) => sink.verify);

  async function writeJoined(records: readonly AuditRecord[], transaction: unknown, joiners: readonly AuditSink[]): Promise<void> {
    await settleAll(joiners, (sink) => sink.write(records, { transaction }));
    if (!wantsFinalRecord) return;
    for (const record of records) {
      joined.delete(record.id);
      joined.set(record.id, joiners);
      if (joined.size > MAX_JOINED) joined.delete(joined.keys().next().value!);
    }
  }

  /** Whether `sink` already holds `record` from a transaction that committed it as it is. */
  const committedIn = (sink: AuditSink, record: AuditRecord) => record.decision === 'allowed' && (joined.get(record.id)?.includes(sink) ?? false);

  async function write(records: readonly AuditRecord[], options?: AuditWriteOptions): Promise<void> {
    const transaction = options?.transaction;
    const joiners = transaction === undefined ? [] : sinks.filter((sink) => sink.canJoin?.(transaction));
    if (joiners.length) return writeJoined(records, transaction, joiners);
    const ids = new Set(records.map((r) => r.id));
    const written = new Map(sinks.map((sink) => [sink, new Set([...held.get(sink)!].filter((id) => ids.has(id)))]));
    try {
      await settleAll(sinks, async (sink) => {
        const done = written.get(sink)!;
        const missing = records.filter((r) => !done.has(r.id) && !committedIn(sink, r));
        if (missing.length) await sink.write(missing);
        for (const r of missing) done.add(r.id);
      });
      for (const sink of sinks) held.get(sink)!.clear();
      for (const id of ids) joined.delete(id);
    } catch (error) {
      for (const sink of sinks) held.set(sink, written.get(sink)!);
      throw error;
    }
  }

  return {
    name: `tee(${sinks.map((s) => s.name).join(',')})`,
    write,
    canJoin: (transaction) => sinks.some((sink) => sink.canJoin?.(transaction) ?? false),
    wantsFinalRecord,
    ...(reader && { subjectAccess: (subject: SubjectQuery) => reader.subjectAccess!(subject) }),
    ...(erasers.length && {
      eraseSubject: async (subject: SubjectQuery) => Math.max(...(await settleAll(erasers, (sink) => sink.eraseSubject!(subject)))),
    }),
    ...(verifiers.length && {
      // Every member's chain must hold: the first broken one is the answer.
      verify: async () => {
        const results = await settleAll(verifiers, async (sink) => sink.verify!());
        return results.find((r) => !r.ok) ?? results[0]!;
      },
    }),
    close: async () => {
      await settleAll(sinks, (sink) => sink.close?.());
    },
  };
}
