import type { AuditFailureMode, AuditHealth, AuditRecord, AuditSink } from '../spec/audit.js';

export interface AuditQueueOptions {
  batchSize: number;
  flushIntervalMs: number;
  maxQueue: number;
  mode: AuditFailureMode;
  onError: (error: unknown) => void;
}

/** Longest wait between retries while the sink is down. */
const MAX_RETRY_MS = 5_000;

/**
 * Holds records until the sink takes them, in batches, off the call's hot path. A failed batch stays at
 * the head of the queue (nothing queued is lost) and is retried with backoff; meanwhile, in fail_closed
 * mode, `admit()` tells the pipeline to refuse new calls.
 */
export class AuditQueue {
  private readonly records: AuditRecord[] = [];
  private flushing: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private dropped = 0;
  private lastError: string | null = null;
  private closed = false;
  /** Slots promised to calls running now (fail_closed): their records always find room. */
  private reserved = 0;

  constructor(
    readonly sink: AuditSink,
    private readonly options: AuditQueueOptions,
  ) {}

  get healthy(): boolean {
    return this.failures === 0;
  }

  /**
   * Whether a call may run. After `close()` none may (its record could never be written). In fail_closed,
   * none while the sink is failing, and each that runs holds a queue slot until its record is pushed or
   * `release`d, so concurrent calls can never outnumber the room their records need.
   */
  admit(): boolean {
    if (this.closed) return false;
    if (this.options.mode !== 'fail_closed') return true;
    if (!this.healthy || this.records.length + this.reserved >= this.options.maxQueue) return false;
    this.reserved += 1;
    return true;
  }

  /** Gives back an admitted call's slot without a record (its record went into a write's transaction). */
  release(): void {
    if (this.options.mode === 'fail_closed' && this.reserved > 0) this.reserved -= 1;
  }

  /** Queues a record; `admitted` says it uses the slot its call was admitted with. Without room, it is dropped and counted. */
  push(record: AuditRecord, admitted = false): void {
    const holdsSlot = admitted && this.options.mode === 'fail_closed' && this.reserved > 0;
    if (holdsSlot) this.reserved -= 1;
    else if (this.records.length + this.reserved >= this.options.maxQueue) {
      this.dropped += 1;
      return;
    }
    this.records.push(record);
    if (this.records.length >= this.options.batchSize && this.healthy) void this.flush();
    else this.schedule(this.options.flushIntervalMs);
  }

  /** Writes one record now, joining the caller's transaction when the sink can; rejects when it cannot be written. */
  async writeNow(record: AuditRecord, transaction: unknown): Promise<void> {
    const joins = transaction !== undefined && this.sink.canJoin?.(transaction) === true;
    await this.sink.write([record], joins ? { transaction } : {});
  }

  /** Writes everything queued. Rejects when the sink fails (the records stay queued for the next try). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (!this.records.length) return;
    this.flushing = this.drain().finally(() => {
      this.flushing = null;
    });
    await this.flushing;
    if (this.records.length && !this.healthy) throw new Error(`audit sink '${this.sink.name}' is failing: ${this.lastError}`);
  }

  health(): AuditHealth {
    return { sink: this.sink.name, healthy: this.healthy, queued: this.records.length, dropped: this.dropped, lastError: this.lastError };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      await this.flush();
    } finally {
      await this.sink.close?.();
    }
  }

  private async drain(): Promise<void> {
    while (this.records.length) {
      const batch = this.records.slice(0, this.options.batchSize);
      try {
        await this.sink.write(batch);
      } catch (error) {
        this.failures += 1;
        this.lastError = error instanceof Error ? error.message : String(error);
        this.options.onError(error);
        this.schedule(Math.min(this.options.flushIntervalMs * 2 ** this.failures, MAX_RETRY_MS));
        return;
      }
      this.records.splice(0, batch.length);
      this.failures = 0;
      this.lastError = null;
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch(() => {}); // the failure is counted and reported by drain()
    }, delayMs);
    // Node: a pending flush must not keep the process alive (close() drains on shutdown).
    (this.timer as { unref?: () => void }).unref?.();
  }
}
