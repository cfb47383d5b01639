import { sealRecords, type ChainHead } from '@ormai/core';
import type { Transaction } from 'sequelize';
import { execute, inList, placeholders, selectRows, toNumber } from './sql.js';
import type { AuditStore } from './tables.js';
import { advisoryLock, inOwnTransaction } from './transactions.js';

/** Queue rows linked per transaction: keeps the chain lock short. */
export const SEAL_BATCH = 500;

export async function readHead(store: AuditStore, transaction?: Transaction): Promise<ChainHead | null> {
  const [row] = await selectRows<{ seq: unknown; hash: string }>(store, `SELECT seq, hash FROM ${store.tables.heads} WHERE chain = $1`, [store.chain], transaction);
  return row ? { seq: toNumber(row.seq), hash: row.hash } : null;
}

/**
 * Links the oldest queued records (in queue order) after the chain's head, under the chain lock, in a
 * transaction of its own: after the records' own transactions committed, never inside them. The lock
 * (an advisory lock on PostgreSQL, the write lock on SQLite) makes sealers of every instance take
 * turns, so the chain has one order, no fork and no gap. Returns how many records were sealed.
 */
export async function sealBatch(store: AuditStore, limit = SEAL_BATCH): Promise<number> {
  return inOwnTransaction(store, async (transaction) => {
    if (store.dialect === 'postgres') await advisoryLock(store, 'seal', transaction);
    const t = store.tables;
    const queued = await selectRows<{ pos: unknown; record_id: string; digest: string }>(
      store, `SELECT pos, record_id, digest FROM ${t.queue} WHERE chain = $1 ORDER BY pos LIMIT $2`, [store.chain, limit], transaction);
    if (queued.length === 0) return 0;
    const links = sealRecords(await readHead(store, transaction), queued.map((q) => ({ recordId: q.record_id, digest: q.digest })));
    const linkValues = links.flatMap((l) => [store.chain, l.seq, l.recordId, l.digest, l.prevHash, l.hash]);
    await execute(store, `INSERT INTO ${t.chain} (chain, seq, record_id, digest, prev_hash, hash) VALUES ${placeholders(links.length, 6)}`, linkValues, transaction);
    const last = links[links.length - 1]!;
    await execute(store, `INSERT INTO ${t.heads} (chain, seq, hash) VALUES ($1, $2, $3) ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
      [store.chain, last.seq, last.hash], transaction);
    // By position, not by range: a row with a lower position may still be in a transaction that commits later.
    await execute(store, `DELETE FROM ${t.queue} WHERE pos IN (${inList(queued.length)})`, queued.map((q) => toNumber(q.pos)), transaction);
    return links.length;
  });
}

/** Seals until the queue is empty; returns how many records were sealed. */
export async function sealAll(store: AuditStore): Promise<number> {
  let total = 0;
  for (let sealed = await sealBatch(store); sealed > 0; sealed = await sealBatch(store)) total += sealed;
  return total;
}

/**
 * Coalesces seal requests: at most one run in flight and one pending behind it, whatever the number
 * of writes asking. A run drains the queue; errors go to `onError` (the records stay queued, the next
 * run seals them).
 */
export class SealScheduler {
  private running: Promise<void> | null = null;
  private pending: Promise<void> | null = null;

  constructor(
    private readonly run: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  request(): Promise<void> {
    if (!this.running) {
      this.running = this.run()
        .then(() => undefined, this.onError)
        .finally(() => {
          this.running = null;
        });
      return this.running;
    }
    this.pending ??= this.running.then(() => {
      this.pending = null;
      return this.request();
    });
    return this.pending;
  }

  /** Resolves when no run is in flight or pending. */
  async idle(): Promise<void> {
    while (this.running || this.pending) await (this.pending ?? this.running);
  }
}
