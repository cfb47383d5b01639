import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataTypes, Op, type ModelStatic, type Model } from 'sequelize';
import { createOrmAI, definePolicy, PolicyDefinitionError, type ModelPolicy, type OrmAI, type TenantRunContext } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { DIALECTS, openDatabase, type TestDatabase } from './support/databases.js';
import { expectError, expectOk } from './support/assertions.js';

const ACME: TenantRunContext = { tenantId: 'acme', userId: 'u-acme' };
const REASON = 'customer asked to fix the ticket subject';

/**
 * Data the application itself hides: paranoid (soft-deleted) rows and what a defaultScope filters
 * out. The markers below are only ever stored in hidden rows or hidden columns.
 */
const HIDDEN = ['DESTROYED-TICKET', 'ARCHIVED-ACCOUNT', 'INTERNAL-MEMO', 'UNPUBLISHED-LISTING'];
const expectNoHiddenValues = (value: unknown) => {
  const text = JSON.stringify(value);
  for (const marker of HIDDEN) expect(text, `response contains ${marker}`).not.toContain(marker);
};

function defineModels(db: TestDatabase) {
  const tenantId = { type: DataTypes.STRING(64), allowNull: false, field: 'tenant_id' };
  const s = db.sequelize;
  const Account = s.define(
    'Account',
    { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, tenantId, name: DataTypes.STRING },
    { tableName: 'accounts', paranoid: true, deletedAt: 'archivedAt', underscored: true },
  );
  const Ticket = s.define(
    'Ticket',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      tenantId,
      accountId: { type: DataTypes.INTEGER, allowNull: false, field: 'account_id' },
      subject: DataTypes.STRING,
    },
    { tableName: 'tickets', paranoid: true },
  );
  const Note = s.define(
    'Note',
    { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, tenantId, body: DataTypes.STRING, internalMemo: DataTypes.STRING },
    { tableName: 'notes', timestamps: false, defaultScope: { attributes: { exclude: ['internalMemo'] } } },
  );
  const Listing = s.define(
    'Listing',
    { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, tenantId, title: DataTypes.STRING, published: DataTypes.BOOLEAN },
    { tableName: 'listings', timestamps: false, defaultScope: { where: { published: true } } },
  );
  const Promo = s.define(
    'Promo',
    { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, tenantId, code: DataTypes.STRING, endsAt: DataTypes.DATE },
    { tableName: 'promos', timestamps: false, defaultScope: { where: { endsAt: { [Op.gt]: new Date(0) } } } },
  );
  const Coupon = s.define(
    'Coupon',
    { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, tenantId, promoId: DataTypes.INTEGER },
    { tableName: 'coupons', timestamps: false },
  );
  Coupon.belongsTo(Promo, { as: 'promo', foreignKey: 'promoId' });
  Coupon.addScope('defaultScope', { include: [{ model: Promo, as: 'promo' }] }, { override: true });
  Account.hasMany(Ticket, { as: 'tickets', foreignKey: 'accountId' });
  Ticket.belongsTo(Account, { as: 'account', foreignKey: 'accountId' });
  return { Account, Ticket, Note, Listing } satisfies Record<string, ModelStatic<Model>>;
}

const policyFor = (models: Record<string, ModelPolicy>) =>
  definePolicy({ profile: 'internal', tenantScope: { field: 'tenantId' }, requireReason: false, models });

const READ_POLICY = {
  // Account's paranoid field is `archivedAt`: a soft delete must use it without being told.
  Account: { relations: ['tickets'], write: { delete: 'soft', writableFields: [] } },
  // No soft-delete settings at all: paranoid alone must hide destroyed tickets from reads and writes.
  Ticket: { relations: ['account'], write: { update: true, bulkUpdate: true, writableFields: ['subject'], dryRunAbove: 100 } },
  Note: {},
  Listing: {},
} satisfies Record<string, ModelPolicy>;

for (const dialect of DIALECTS) {
  describe(`${dialect}: data the application hides stays hidden`, () => {
    let db: TestDatabase;
    let ormai: OrmAI;
    let adapter: ReturnType<typeof sequelizeAdapter>;
    const ids = { liveAccount: 0, archivedAccount: 0, liveTicket: 0, destroyedTicket: 0, orphanTicket: 0 };

    beforeAll(async () => {
      db = await openDatabase(dialect);
      const { Account, Ticket, Note, Listing } = defineModels(db);
      await db.sequelize.sync();
      const live = await Account.create({ tenantId: 'acme', name: 'Live account' });
      const archived = await Account.create({ tenantId: 'acme', name: 'ARCHIVED-ACCOUNT' });
      const liveTicket = await Ticket.create({ tenantId: 'acme', accountId: live.get('id'), subject: 'still open' });
      const destroyed = await Ticket.create({ tenantId: 'acme', accountId: live.get('id'), subject: 'DESTROYED-TICKET' });
      const orphan = await Ticket.create({ tenantId: 'acme', accountId: archived.get('id'), subject: 'on an archived account' });
      await destroyed.destroy(); // the application's own soft delete
      await archived.destroy();
      Object.assign(ids, {
        liveAccount: live.get('id'),
        archivedAccount: archived.get('id'),
        liveTicket: liveTicket.get('id'),
        destroyedTicket: destroyed.get('id'),
        orphanTicket: orphan.get('id'),
      });
      await Note.create({ tenantId: 'acme', body: 'visible body', internalMemo: 'INTERNAL-MEMO' });
      await Listing.unscoped().bulkCreate([
        { tenantId: 'acme', title: 'Shown listing', published: true },
        { tenantId: 'acme', title: 'UNPUBLISHED-LISTING', published: false },
      ]);
      adapter = sequelizeAdapter(db.sequelize);
      ormai = createOrmAI({ adapter, policy: policyFor(READ_POLICY), secret: 'test-secret' });
    });
    afterAll(async () => {
      await db?.close();
    });

    it('rows the application soft-deleted (paranoid destroy) are invisible to queries, gets, counts and includes', async () => {
      const tickets = expectOk(await ormai.call('db_query', { model: 'Ticket' }, ACME));
      expect(tickets.rows.map((r: any) => r.id).sort()).toEqual([ids.liveTicket, ids.orphanTicket].sort());
      expectError(await ormai.call('db_get', { model: 'Ticket', id: ids.destroyedTicket }, ACME), 'not_found');
      expectError(await ormai.call('db_get', { model: 'Account', id: ids.archivedAccount }, ACME), 'not_found');
      expect(expectOk(await ormai.call('db_aggregate', { model: 'Ticket', op: 'count' }, ACME)).value).toBe(2);
      expect(expectOk(await ormai.call('db_aggregate', { model: 'Account', op: 'count' }, ACME)).value).toBe(1);
      const accounts = expectOk(await ormai.call('db_query', { model: 'Account', include: [{ relation: 'tickets' }] }, ACME));
      expect(accounts.rows).toHaveLength(1);
      expect(accounts.rows[0].tickets.map((t: any) => t.id)).toEqual([ids.liveTicket]);
      const orphan = expectOk(await ormai.call('db_get', { model: 'Ticket', id: ids.orphanTicket, include: [{ relation: 'account' }] }, ACME));
      expect(orphan.row.account).toBeNull();
      // Asking for deleted rows explicitly finds nothing either.
      const asked = expectOk(await ormai.call('db_query', { model: 'Ticket', where: { field: 'deletedAt', op: 'is_null', value: false } }, ACME));
      expect(asked.rows).toEqual([]);
      expectNoHiddenValues([tickets, accounts, orphan, asked]);
    });

    it('soft-deleted rows cannot be updated, deleted or bulk-updated, and their deletedAt is not writable', async () => {
      expectError(await ormai.call('db_update', { model: 'Ticket', id: ids.destroyedTicket, values: { subject: 'revived' }, reason: REASON }, ACME), 'not_found');
      expectError(await ormai.call('db_delete', { model: 'Account', id: ids.archivedAccount, reason: REASON }, ACME), 'not_found');
      expectOk(
        await ormai.call('db_bulk_update', { model: 'Ticket', where: { field: 'id', op: 'gt', value: 0 }, values: { subject: 'bulk' }, reason: REASON }, ACME),
      );
      const [rows] = await db.sequelize.query(`SELECT subject FROM tickets WHERE id = ${Number(ids.destroyedTicket)}`);
      expect((rows as Array<{ subject: string }>)[0]!.subject).toBe('DESTROYED-TICKET');
      expectError(
        await ormai.call('db_update', { model: 'Ticket', id: ids.liveTicket, values: { deletedAt: null }, reason: REASON }, ACME),
        'field_not_allowed',
      );
    });

    it("OrmAI's soft delete of a paranoid model is the application's: Sequelize stops seeing the row", async () => {
      const Account = db.sequelize.models.Account!;
      const target = await Account.create({ tenantId: 'acme', name: 'to archive' });
      expectOk(await ormai.callTool('db_delete', { model: 'Account', id: target.get('id'), reason: REASON }, ACME));
      expect(await Account.findByPk(target.get('id') as number)).toBeNull();
      expect(await Account.findByPk(target.get('id') as number, { paranoid: false })).not.toBeNull();
      expectError(await ormai.callTool('db_get', { model: 'Account', id: target.get('id') }, ACME), 'not_found');
    });

    it('a column the defaultScope excludes is never readable, selectable or described', async () => {
      const notes = expectOk(await ormai.call('db_query', { model: 'Note' }, ACME));
      expect(notes.rows[0]).toEqual({ id: expect.any(Number), body: 'visible body' });
      expectError(await ormai.call('db_query', { model: 'Note', select: ['internalMemo'] }, ACME), 'field_not_allowed');
      expectError(await ormai.call('db_query', { model: 'Note', where: { field: 'internalMemo', op: 'is_null', value: false } }, ACME), 'field_not_allowed');
      const schema = expectOk(await ormai.call('db_describe_schema', { model: 'Note' }, ACME));
      expect(JSON.stringify(schema)).not.toContain('internalMemo');
      expectNoHiddenValues(notes);
    });

    it('a defaultScope of plain equalities hides the rows it filters out', async () => {
      const listings = expectOk(await ormai.call('db_query', { model: 'Listing' }, ACME));
      expect(listings.rows.map((r: any) => r.title)).toEqual(['Shown listing']);
      expect(expectOk(await ormai.call('db_aggregate', { model: 'Listing', op: 'count' }, ACME)).value).toBe(1);
      expectNoHiddenValues(listings);
    });

    it('refuses at createOrmAI a model whose defaultScope OrmAI cannot apply, naming it', () => {
      for (const model of ['Promo', 'Coupon']) {
        const attempt = () => createOrmAI({ adapter, policy: policyFor({ ...READ_POLICY, [model]: {} }), secret: 'test-secret' });
        expect(attempt).toThrow(PolicyDefinitionError);
        expect(attempt).toThrow(new RegExp(`models\\.${model}: .*defaultScope`));
      }
    });

    it('refuses a policy that names another soft-delete field, or a hard delete, on a paranoid model', () => {
      const other = { Account: {}, Ticket: { write: { update: true, writableFields: ['subject'], softDeleteField: 'subject' } } } satisfies Record<string, ModelPolicy>;
      expect(() => createOrmAI({ adapter, policy: policyFor(other), secret: 'test-secret' })).toThrow(/models\.Ticket.*paranoid/);
      const hard = { Account: {}, Ticket: { write: { delete: true, writableFields: ['subject'] } } } satisfies Record<string, ModelPolicy>;
      expect(() => createOrmAI({ adapter, policy: policyFor(hard), secret: 'test-secret' })).toThrow(/models\.Ticket.*paranoid/);
    });
  });
}
