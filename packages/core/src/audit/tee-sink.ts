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

/**
 * Writes every batch to all `sinks` at once and resolves only when all of them hold it, so
 * `fail_closed` holds for each. After a rejected batch, each member remembers which of its records it
 * already holds and skips them when the queue retries, so a member that succeeded gets no duplicates
 * (a SQL sink would refuse them). That memory covers the last batch only: the queue retries from its
 * head, one batch at a time. With a transaction, members that can join it join, the others write at
 * once; nothing is remembered then (the transaction may roll back).
 *
 * `subjectAccess` asks the first member that answers it; `eraseSubject` erases on every member that
 * can and returns the largest count (members hold the same records, so a sum would count them twice);
 * `verify` checks every member's chain and answers the first broken one.
 */
export function teeSink(...sinks: AuditSink[]): AuditSink {
  const held = new Map<AuditSink, Set<string>>(sinks.map((sink) => [sink, new Set()]));
  const reader = sinks.find((sink) => sink.subjectAccess);
  const erasers = sinks.filter((sink) => sink.eraseSubject);
  const verifiers = sinks.filter((sink) => sink.verify);

  async function write(records: readonly AuditRecord[], options?: AuditWriteOptions): Promise<void> {
    const transaction = options?.transaction;
    if (transaction !== undefined) {
      await settleAll(sinks, (sink) => (sink.canJoin?.(transaction) ? sink.write(records, { transaction }) : sink.write(records)));
      return;
    }
    const ids = new Set(records.map((r) => r.id));
    const written = new Map(sinks.map((sink) => [sink, new Set([...held.get(sink)!].filter((id) => ids.has(id)))]));
    try {
      await settleAll(sinks, async (sink) => {
        const done = written.get(sink)!;
        const missing = records.filter((r) => !done.has(r.id));
        if (missing.length) await sink.write(missing);
        for (const r of missing) done.add(r.id);
      });
      for (const sink of sinks) held.get(sink)!.clear();
    } catch (error) {
      for (const sink of sinks) held.set(sink, written.get(sink)!);
      throw error;
    }
  }

  return {
    name: `tee(${sinks.map((s) => s.name).join(',')})`,
    write,
    canJoin: (transaction) => sinks.some((sink) => sink.canJoin?.(transaction) ?? false),
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
