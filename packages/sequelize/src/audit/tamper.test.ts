import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainProblem } from '@ormai/core';
import type { SequelizeAuditSink } from './sink.js';
import { auditRecords } from './test-support/records.js';
import { DIALECTS, openAuditDb, type AuditTestDb } from './test-support/harness.js';

interface Tampering {
  name: string;
  seq: number;
  problem: ChainProblem;
  /** Links that verified before the break; default seq - 1. */
  count?: number;
  tamper(db: AuditTestDb, chain: string, recordIdAt: (seq: number) => Promise<string>): Promise<void>;
}

const TAMPERINGS: Tampering[] = [
  {
    name: "editing a record's envelope", seq: 4, problem: 'digest_mismatch',
    tamper: async (db, _chain, idAt) => db.run(`UPDATE ${db.table('records')} SET envelope = replace(envelope, '"decision":"allowed"', '"decision":"forbidden"') WHERE id = $1`, [await idAt(4)]),
  },
  {
    name: "editing a record's tenant_id column", seq: 5, problem: 'digest_mismatch',
    tamper: async (db, _chain, idAt) => db.run(`UPDATE ${db.table('records')} SET tenant_id = 'globex' WHERE id = $1`, [await idAt(5)]),
  },
  {
    name: "editing a record's decision column", seq: 2, problem: 'digest_mismatch',
    tamper: async (db, _chain, idAt) => db.run(`UPDATE ${db.table('records')} SET decision = 'tenant_mismatch' WHERE id = $1`, [await idAt(2)]),
  },
  {
    name: 'deleting a record', seq: 3, problem: 'missing_record',
    tamper: async (db, _chain, idAt) => db.run(`DELETE FROM ${db.table('records')} WHERE id = $1`, [await idAt(3)]),
  },
  {
    name: 'deleting a link', seq: 6, problem: 'sequence_gap',
    tamper: (db, chain) => db.run(`DELETE FROM ${db.table('chain')} WHERE chain = $1 AND seq = 6`, [chain]),
  },
  {
    name: "swapping two links' sequence numbers", seq: 2, problem: 'broken_link',
    tamper: async (db, chain) => {
      const t = db.table('chain');
      await db.run(`UPDATE ${t} SET seq = -1 WHERE chain = $1 AND seq = 2`, [chain]);
      await db.run(`UPDATE ${t} SET seq = 2 WHERE chain = $1 AND seq = 7`, [chain]);
      await db.run(`UPDATE ${t} SET seq = 7 WHERE chain = $1 AND seq = -1`, [chain]);
    },
  },
  {
    name: 'editing a payload', seq: 8, problem: 'payload_mismatch',
    tamper: async (db, _chain, idAt) => db.run(`UPDATE ${db.table('records')} SET payload = replace(payload, 'open', 'closed') WHERE id = $1`, [await idAt(8)]),
  },
  {
    name: 'deleting the newest link (and its record)', seq: 10, problem: 'truncated',
    tamper: async (db, chain, idAt) => {
      const id = await idAt(10);
      await db.run(`DELETE FROM ${db.table('chain')} WHERE chain = $1 AND seq = 10`, [chain]);
      await db.run(`DELETE FROM ${db.table('records')} WHERE id = $1`, [id]);
    },
  },
  {
    // What a rewrite of the chain's tail (to hide an edit) leaves: links that no longer end at the sealed head.
    name: 'a chain whose last link disagrees with the head row', seq: 10, problem: 'broken_link', count: 10,
    tamper: async (db, chain) => db.run(`UPDATE ${db.table('heads')} SET hash = $2 WHERE chain = $1`, [chain, 'f'.repeat(64)]),
  },
  {
    // The head row is what sealing continues from: moved back, every later seal fails on a taken sequence.
    name: 'moving the head row back', seq: 6, problem: 'broken_link',
    tamper: (db, chain) => db.run(`UPDATE ${db.table('heads')} SET seq = 5, hash = (SELECT hash FROM ${db.table('chain')} WHERE chain = $1 AND seq = 5) WHERE chain = $1`, [chain]),
  },
  {
    name: 'a record inserted beside the chain (neither linked nor queued)', seq: 11, problem: 'unchained_record', count: 10,
    tamper: async (db, _chain, idAt) => db.run(`INSERT INTO ${db.table('records')} (id, chain, at, duration_ms, action, tenant_id, user_id, decision, model, envelope, payload)
      SELECT $2, chain, at, duration_ms, action, tenant_id, user_id, 'tenant_mismatch', model, envelope, payload FROM ${db.table('records')} WHERE id = $1`, [await idAt(3), 'forged-record']),
  },
  {
    // Erasure clears payloads of records that named a subject; these name none (an aggregate, a refusal).
    name: 'clearing the payload of a record that named no subject', seq: 7, problem: 'payload_mismatch',
    tamper: async (db, _chain, idAt) => db.run(`UPDATE ${db.table('records')} SET payload = NULL WHERE id = $1`, [await idAt(7)]),
  },
];

describe.each(DIALECTS)('tampering detected at its exact sequence on %s', (dialect) => {
  let db: AuditTestDb;
  beforeAll(async () => {
    db = await openAuditDb(dialect);
  });
  afterAll(() => db?.close());

  const sealedChain = async (size: number): Promise<SequelizeAuditSink> => {
    const sink = db.sink();
    await sink.write(auditRecords(size));
    await sink.sealAll();
    expect(await sink.verify()).toMatchObject({ ok: true, count: size });
    return sink;
  };

  it.each(TAMPERINGS)('$name', async ({ seq, problem, count = seq - 1, tamper }) => {
    const sink = await sealedChain(10);
    const chain = sink.location.chain;
    const idAt = async (at: number) => (await db.rows<{ record_id: string }>(`SELECT record_id FROM ${db.table('chain')} WHERE chain = $1 AND seq = $2`, [chain, at]))[0]!.record_id;
    await tamper(db, chain, idAt);
    expect(await sink.verify()).toEqual({ ok: false, count, seq, problem });
  });

  it('finds an edit past the first page of links', async () => {
    const sink = await sealedChain(1_234);
    const chain = sink.location.chain;
    await db.run(`UPDATE ${db.table('records')} SET user_id = 'someone-else' WHERE id = (SELECT record_id FROM ${db.table('chain')} WHERE chain = $1 AND seq = 1100)`, [chain]);
    expect(await sink.verify()).toEqual({ ok: false, count: 1099, seq: 1100, problem: 'digest_mismatch' });
  });
});
