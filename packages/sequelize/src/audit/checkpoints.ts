import type { ChainCheckpoint } from '@ormai/core';
import type { Transaction } from 'sequelize';
import { execute, selectRows, toNumber } from './sql.js';
import type { AuditStore } from './tables.js';

interface CheckpointRow {
  chain: string;
  seq: unknown;
  count: unknown;
  head_hash: string;
  at: unknown;
  signature: string;
}

/** Where the chain in the hot tables starts: the checkpoint the last retention run left. */
export async function readLatestCheckpoint(store: AuditStore, transaction?: Transaction): Promise<ChainCheckpoint | null> {
  const [row] = await selectRows<CheckpointRow>(store,
    `SELECT chain, seq, count, head_hash, at, signature FROM ${store.tables.checkpoints} WHERE chain = $1 ORDER BY seq DESC LIMIT 1`, [store.chain], transaction);
  return row ? { chain: row.chain, seq: toNumber(row.seq), count: toNumber(row.count), headHash: row.head_hash, at: toNumber(row.at), signature: row.signature } : null;
}

export async function insertCheckpoint(store: AuditStore, checkpoint: ChainCheckpoint, transaction: Transaction): Promise<void> {
  await execute(store, `INSERT INTO ${store.tables.checkpoints} (chain, seq, count, head_hash, at, signature) VALUES ($1, $2, $3, $4, $5, $6)`,
    [checkpoint.chain, checkpoint.seq, checkpoint.count, checkpoint.headHash, checkpoint.at, checkpoint.signature], transaction);
}
