import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveAuditSegment } from './archive.js';
import { createAuditRoles } from './roles.js';
import { sequelizeAuditSink, type SequelizeAuditSink } from './sink.js';
import { openPgSchema, uniqueName, type PgTestSchema } from './test-support/databases.js';
import { auditRecord, auditRecords } from './test-support/records.js';

const KEY = new Uint8Array(32).fill(3);

describe('least-privilege audit roles on PostgreSQL', () => {
  let pg: PgTestSchema;
  // Roles are cluster-wide: unique names per run, dropped afterwards.
  const roles = { writer: uniqueName('ormai_audit_writer'), reader: uniqueName('ormai_audit_reader'), retention: uniqueName('ormai_audit_retention') };
  const tablePrefix = 'audit';
  let dir: string;
  let asWriter: SequelizeAuditSink;

  const sinkAs = (role: string, options: { chain?: string } = {}) =>
    sequelizeAuditSink(pg.connect({ role }), { schema: pg.schema, tablePrefix, autoSeal: false, key: KEY, chain: 'main', ...options });
  const table = (name: string) => `"${pg.schema}"."${tablePrefix}_${name}"`;
  const asRole = (role: string) => pg.connect({ role });

  beforeAll(async () => {
    pg = await openPgSchema();
    dir = mkdtempSync(join(tmpdir(), 'ormai-roles-'));
    await sequelizeAuditSink(pg.admin, { schema: pg.schema, tablePrefix }).migrate();
    await createAuditRoles(pg.admin, { ...roles, schema: pg.schema, tablePrefix });
    // Idempotent: running it again changes nothing.
    await createAuditRoles(pg.admin, { ...roles, schema: pg.schema, tablePrefix });
    asWriter = sinkAs(roles.writer);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    const names = Object.values(roles).map((role) => `"${role}"`).join(', ');
    await pg.admin.query(`DROP OWNED BY ${names}`);
    await pg.admin.query(`DROP ROLE ${names}`);
    await pg.close();
  });

  it('the writer writes and seals, and cannot change or delete audit rows', async () => {
    const records = [auditRecord({ subjects: [{ model: 'Customer', id: '1' }] }), ...auditRecords(4)];
    await asWriter.write(records);
    await asWriter.location.sequelize.transaction((transaction) => asWriter.write(auditRecords(2), { transaction }));
    await asWriter.write(records); // the queue's retry of a batch whose write did commit
    expect(await asWriter.sealAll()).toBe(7);

    const writer = asRole(roles.writer);
    const denied = [
      `UPDATE ${table('records')} SET tenant_id = 'globex'`,
      `UPDATE ${table('records')} SET payload = NULL`,
      `DELETE FROM ${table('records')}`,
      `UPDATE ${table('chain')} SET digest = 'x'`,
      `DELETE FROM ${table('chain')}`,
      `DELETE FROM ${table('subjects')}`,
      `UPDATE ${table('subjects')} SET subject_id = '2'`,
      `DELETE FROM ${table('heads')}`,
      `INSERT INTO ${table('checkpoints')} VALUES ('main', 1, 1, 'x', 1, 'x')`,
      `SELECT * FROM ${table('records')}`,
      `SELECT payload FROM ${table('records')}`,
      `TRUNCATE ${table('records')}`,
    ];
    for (const sql of denied) await expect(writer.query(sql), sql).rejects.toThrow(/permission denied/);
    expect(await sinkAs(roles.reader).verify()).toMatchObject({ ok: true, count: 7 });
  });

  it('the reader verifies and reads the saved queries, and cannot write', async () => {
    const reader = asRole(roles.reader);
    await expect(reader.query(`SELECT count(*) FROM "${pg.schema}"."${tablePrefix}_denials"`)).resolves.toBeDefined();
    await expect(sinkAs(roles.reader).write(auditRecords(1))).rejects.toThrow(/permission denied/);
    await expect(reader.query(`DELETE FROM ${table('queue')}`)).rejects.toThrow(/permission denied/);
  });

  it('only the retention role archives and erases', async () => {
    const chain = 'retained';
    const writerSink = sinkAs(roles.writer, { chain });
    await writerSink.write([auditRecord({ at: 1_000, subjects: [{ model: 'Customer', id: '9' }] }), auditRecord({ at: 2_000 }), auditRecord({ at: Date.now() })]);
    await writerSink.sealAll();
    const archive = (role: string, name: string) =>
      archiveAuditSegment(asRole(role), { before: 10_000, file: join(dir, name), key: KEY, chain, schema: pg.schema, tablePrefix });
    await expect(archive(roles.writer, 'w.jsonl.gz')).rejects.toThrow(/permission denied/);
    await expect(sinkAs(roles.writer, { chain }).eraseSubject({ model: 'Customer', id: '9' })).rejects.toThrow(/permission denied/);

    expect(await sinkAs(roles.retention, { chain }).eraseSubject({ model: 'Customer', id: '9' })).toBe(1);
    expect(await archive(roles.retention, 'r.jsonl.gz')).toMatchObject({ archived: 2 });
    expect(await sinkAs(roles.reader, { chain }).verify()).toMatchObject({ ok: true, count: 1, head: { seq: 3 } });
    await expect(asRole(roles.retention).query(`UPDATE ${table('chain')} SET digest = 'x'`)).rejects.toThrow(/permission denied/);
    await expect(asRole(roles.retention).query(`UPDATE ${table('records')} SET tenant_id = 'x'`)).rejects.toThrow(/permission denied/);
  });
});
