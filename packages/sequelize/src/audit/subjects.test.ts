import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromStoredRecord, toStoredRecord, type AuditRecord } from '@ormai/core';
import { eraseSubject } from './subjects.js';
import { auditStore } from './tables.js';
import { auditRecord, auditRecords } from './test-support/records.js';
import { AUDIT_TABLES, DIALECTS, openAuditDb, type AuditTestDb } from './test-support/harness.js';

const JANE = { model: 'Customer', id: '42' };
const BOB = { model: 'Customer', id: '7' };
/** How a sink returns a record whose payload was erased. */
const withErasedPayload = (record: AuditRecord): AuditRecord => fromStoredRecord({ ...toStoredRecord(record), payload: null });
const JANE_STRINGS = ['jane.doe@example.test', 'Jane Doe', '+44 20 7946 0958'];

describe.each(DIALECTS)('subject access and erasure on %s', (dialect) => {
  let db: AuditTestDb;
  beforeAll(async () => {
    db = await openAuditDb(dialect);
  });
  afterAll(() => db?.close());

  const janeRecord = (action: string) =>
    auditRecord({ action, model: 'Customer', subjects: [JANE], input: { model: 'Customer', values: { email: 'jane.doe@example.test', name: 'Jane Doe', phone: '+44 20 7946 0958' } }, reason: 'Jane Doe asked to change her address' });

  /** Every stored value of every audit table, as text. */
  const dump = async () => {
    const tables = await Promise.all(AUDIT_TABLES.map((table) => db.rows(`SELECT * FROM ${db.table(table)}`)));
    return JSON.stringify(tables);
  };

  it('returns exactly the operations touching the subject, oldest first, then erases their payloads and the chain still verifies', async () => {
    const sink = db.sink();
    const jane = [janeRecord('db_get'), janeRecord('db_update')];
    const bob = auditRecord({ subjects: [BOB], input: { note: 'bob' } });
    const both = auditRecord({ subjects: [JANE, BOB, JANE], action: 'db_query', input: { where: 'jane.doe@example.test' } });
    const nobody = auditRecords(3);
    await sink.write([jane[0]!, bob, ...nobody]);
    await sink.write([jane[1]!, both]);
    await sink.sealAll();

    expect((await sink.subjectAccess(JANE)).map((r) => r.id)).toEqual([jane[0]!.id, jane[1]!.id, both.id]);
    expect(await sink.subjectAccess(JANE)).toEqual([jane[0], jane[1], both]);
    expect((await sink.subjectAccess(BOB)).map((r) => r.id)).toEqual([bob.id, both.id]);
    expect(await sink.subjectAccess({ model: 'Order', id: '42' })).toEqual([]);
    for (const text of JANE_STRINGS) expect(await dump()).toContain(text);

    expect(await sink.eraseSubject(JANE)).toBe(3);

    const dumped = await dump();
    for (const text of JANE_STRINGS) expect(dumped).not.toContain(text);
    expect(await sink.subjectAccess(JANE)).toEqual([]);
    // Each record is still there (envelope and link), only its payload is gone.
    const rows = await db.rows<{ id: string; payload: string | null; erased_at: unknown }>(`SELECT id, payload, erased_at FROM ${db.table('records')} WHERE chain = $1`, [sink.location.chain]);
    expect(rows).toHaveLength(7);
    const erased = rows.filter((row) => row.payload === null).map((row) => row.id).sort();
    expect(erased).toEqual([jane[0]!.id, jane[1]!.id, both.id].sort());
    expect(rows.every((row) => (row.payload === null) === (row.erased_at !== null))).toBe(true);
    expect(await sink.verify()).toMatchObject({ ok: true, count: 7 });
    // Bob's index survives Jane's erasure: the shared record still answers his request, its payload erased.
    expect(await sink.subjectAccess(BOB)).toEqual([bob, withErasedPayload(both)]);
    expect(await sink.eraseSubject(JANE)).toBe(0);
    const erasedAt = async (id: string) => (await db.rows<{ erased_at: unknown }>(`SELECT erased_at FROM ${db.table('records')} WHERE id = $1`, [id]))[0]!.erased_at;
    const bothErasedAt = await erasedAt(both.id);
    const later = Number(bothErasedAt) + 60_000;
    expect(await eraseSubject(auditStore(sink.location), BOB, later)).toBe(2);
    // The shared record keeps the time of its first erasure.
    expect(await erasedAt(both.id)).toEqual(bothErasedAt);
    expect(Number(await erasedAt(bob.id))).toBe(later);
    expect(await sink.subjectAccess(BOB)).toEqual([]);
    expect(await db.rows(`SELECT * FROM ${db.table('subjects')} s JOIN ${db.table('records')} r ON r.id = s.record_id WHERE r.chain = $1`, [sink.location.chain])).toEqual([]);
    expect(await sink.verify()).toMatchObject({ ok: true, count: 7 });
  });

  it("with a tenant, answers and erases only that tenant's records of the subject (null: the tenant-free ones)", async () => {
    const sink = db.sink();
    // Customer 42 of acme, of globex, and of a tenant-free model: keys repeat across tenants.
    const acme = auditRecord({ tenantId: 'acme', subjects: [JANE], reason: 'acme asked' });
    const globex = auditRecord({ tenantId: 'globex', subjects: [JANE], reason: 'globex asked' });
    const tenantFree = auditRecord({ tenantId: null, subjects: [JANE], reason: 'nobody asked' });
    await sink.write([acme, globex, tenantFree]);
    await sink.sealAll();

    expect(await sink.subjectAccess({ ...JANE, tenantId: 'acme' })).toEqual([acme]);
    expect(await sink.subjectAccess({ ...JANE, tenantId: null })).toEqual([tenantFree]);
    expect(await sink.subjectAccess({ ...JANE, tenantId: 'initech' })).toEqual([]);
    expect(await sink.subjectAccess(JANE)).toEqual([acme, globex, tenantFree]);

    expect(await sink.eraseSubject({ ...JANE, tenantId: 'globex' })).toBe(1);
    expect(await sink.subjectAccess(JANE)).toEqual([acme, tenantFree]);
    expect(await sink.eraseSubject({ ...JANE, tenantId: null })).toBe(1);
    expect(await sink.subjectAccess(JANE)).toEqual([acme]);
    expect(await sink.verify()).toMatchObject({ ok: true, count: 3 });
  });

  it('keeps subjects of another chain out of this chain\'s answers', async () => {
    const mine = db.sink();
    const theirs = db.sink();
    const record = janeRecord('db_get');
    await theirs.write([record]);
    expect(await mine.subjectAccess(JANE)).toEqual([]);
    expect(await mine.eraseSubject(JANE)).toBe(0);
    expect(await theirs.subjectAccess(JANE)).toEqual([record]);
  });
});
