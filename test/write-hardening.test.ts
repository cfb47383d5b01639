import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { col, DataTypes, fn, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import { createOrmAI, definePolicy, DEFAULT_PROD, PolicyDefinitionError, type ModelPolicy, type OrmAI } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { DIALECTS, openDatabase, type TestDatabase } from './support/databases.js';
import { expectError, expectOk } from './support/assertions.js';

const ACME = { tenantId: 'acme', userId: 'u-acme' };
const REASON = 'customer asked by email to correct this record';

type AnyModel = ModelStatic<Model>;

/**
 * Models shaped like the attacks: a key unique per tenant only, a foreign key declared from the other
 * side, unique constraints across tenants, masked, hashed and denied fields next to writable ones.
 */
function defineModels(sequelize: Sequelize) {
  const tenantId = { type: DataTypes.STRING(64), allowNull: false, field: 'tenant_id' };
  // The real key is (tenant_id, id), created by hand below; the model declares `id` alone.
  const Ticket = sequelize.define('Ticket', { id: { type: DataTypes.INTEGER, primaryKey: true }, tenantId, label: DataTypes.STRING, title: DataTypes.STRING }, { tableName: 'tickets', timestamps: false });
  const Client = sequelize.define('Client', { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, tenantId, name: DataTypes.STRING }, { tableName: 'clients', timestamps: false });
  const Invoice = sequelize.define(
    'Invoice',
    { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, tenantId, amount: DataTypes.INTEGER, note: DataTypes.STRING, projectId: { type: DataTypes.INTEGER, field: 'project_id', references: { model: 'projects', key: 'id' } } },
    { tableName: 'invoices', timestamps: false },
  );
  const Project = sequelize.define('Project', { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, tenantId, name: DataTypes.STRING }, { tableName: 'projects', timestamps: false });
  // Declared from the client's side only: no Invoice.belongsTo(Client).
  Client.hasMany(Invoice, { as: 'invoices', foreignKey: 'clientId' });
  const Account = sequelize.define(
    'Account',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      tenantId,
      email: { type: DataTypes.STRING, unique: true },
      code: { type: DataTypes.STRING, unique: true },
      handle: DataTypes.STRING,
      pin: DataTypes.STRING,
      loyaltyCode: { type: DataTypes.STRING, field: 'loyalty_code' },
      creditScore: { type: DataTypes.INTEGER, field: 'credit_score' },
      status: DataTypes.STRING,
    },
    { tableName: 'accounts', timestamps: false, indexes: [{ unique: true, fields: ['handle', 'pin'] }] },
  );
  // Unique keys declared every other way Sequelize takes them, and rows the application hides.
  // `uniqueKeys` is an option Sequelize reads but does not type.
  const couponOptions = { tableName: 'coupons', timestamps: false, uniqueKeys: { coupon_code_unique: { fields: ['code'] } } };
  const Coupon = sequelize.define('Coupon', { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, tenantId, code: DataTypes.STRING }, couponOptions);
  const Handle = sequelize.define('Handle', { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, tenantId, handle: DataTypes.STRING }, { tableName: 'handles', timestamps: false, indexes: [{ unique: true, fields: [fn('lower', col('handle'))] as never }] });
  const Secretive = sequelize.define('Secretive', { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, tenantId, name: DataTypes.STRING }, { tableName: 'secretives', paranoid: true, indexes: [{ unique: true, fields: ['tenant_id', 'name'] }] });
  // Joined on a masked key: the included row would show the key in clear.
  const Tier = sequelize.define('Tier', { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, code: DataTypes.STRING }, { tableName: 'tiers', timestamps: false });
  const Member = sequelize.define('Member', { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, tenantId, loyaltyCode: { type: DataTypes.STRING, field: 'loyalty_code' } }, { tableName: 'members', timestamps: false });
  Member.belongsTo(Tier, { as: 'tier', foreignKey: 'loyaltyCode', targetKey: 'code', constraints: false });
  return { Ticket, Client, Invoice, Project, Account, Coupon, Handle, Secretive, Tier, Member } as Record<string, AnyModel>;
}

const base = (models: Record<string, ModelPolicy>) =>
  definePolicy({ profile: DEFAULT_PROD, readOnly: false, tenantScope: { field: 'tenantId' }, maskFields: { '*loyalty*': 'hash' }, models });

const ticketPolicy = () =>
  base({ Ticket: { write: { update: true, delete: true, bulkUpdate: true, writableFields: ['title'], maxWritesPerMinute: 1000 } } });

const invoicePolicy = () =>
  base({
    Client: { relations: ['invoices'] },
    Invoice: { write: { create: true, writableFields: ['clientId', 'amount', 'note'], maxWritesPerMinute: 1000 } },
  });

const accountModels = (write: NonNullable<ModelPolicy['write']>): Record<string, ModelPolicy> => ({
  Account: { fields: { creditScore: 'deny', pin: 'deny' }, write: { maxWritesPerMinute: 1000, ...write } },
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: write hardening`, () => {
    let db: TestDatabase;
    let models: Record<string, AnyModel>;
    const build = (policy: ReturnType<typeof base>): OrmAI =>
      createOrmAI({ adapter: sequelizeAdapter(db.sequelize), policy, secret: 'test-secret' });
    const tickets = async () => {
      const [rows] = await db.sequelize.query('SELECT tenant_id, id, label, title FROM tickets ORDER BY tenant_id, id');
      return rows as Array<Record<string, unknown>>;
    };

    beforeAll(async () => {
      db = await openDatabase(dialect);
      models = defineModels(db.sequelize);
      await db.sequelize.query('CREATE TABLE tickets (tenant_id VARCHAR(64) NOT NULL, id INTEGER NOT NULL, label VARCHAR(255), title VARCHAR(255), PRIMARY KEY (tenant_id, id))');
      await models.Project!.sync();
      await models.Client!.sync();
      await models.Invoice!.sync();
      await models.Account!.sync();
    });
    afterAll(async () => {
      await db?.close();
    });

    describe('writes carry the tenant predicate on every statement', () => {
      beforeAll(async () => {
        await db.sequelize.query('DELETE FROM tickets');
        await models.Ticket!.bulkCreate([
          { tenantId: 'acme', id: 1, label: 'ACME-1', title: 'old' },
          { tenantId: 'globex', id: 1, label: 'GLOBEX-1', title: 'old' },
          { tenantId: 'globex', id: 2, label: 'GLOBEX-2', title: 'old' },
        ]);
      });

      it("an agent of Acme updating id 1 changes and gets back only Acme's row, never Globex's row with the same id", async () => {
        const ormai = build(ticketPolicy());
        const preview = expectOk(await ormai.call('db_preview_write', { operation: 'update', model: 'Ticket', id: 1, values: { title: 'new' } }, ACME));
        expect(JSON.stringify(preview)).not.toContain('GLOBEX');
        expect(preview.affectedRows).toBe(1);
        const updated = expectOk(await ormai.call('db_update', { model: 'Ticket', id: 1, values: { title: 'new' }, reason: REASON }, ACME));
        expect(updated.row).toMatchObject({ id: 1, label: 'ACME-1', title: 'new' });
        const bulk = expectOk(await ormai.call('db_bulk_update', { model: 'Ticket', where: { field: 'id', op: 'in', value: [1, 2] }, values: { title: 'bulk' }, reason: REASON }, ACME));
        expect(bulk).toEqual({ affectedRows: 1, ids: [1] });
        expect(await tickets()).toEqual([
          { tenant_id: 'acme', id: 1, label: 'ACME-1', title: 'bulk' },
          { tenant_id: 'globex', id: 1, label: 'GLOBEX-1', title: 'old' },
          { tenant_id: 'globex', id: 2, label: 'GLOBEX-2', title: 'old' },
        ]);
      });

      it("an agent of Acme deleting id 1 deletes only Acme's row", async () => {
        const ormai = build(ticketPolicy());
        expect(expectOk(await ormai.call('db_delete', { model: 'Ticket', id: 1, reason: REASON }, ACME))).toMatchObject({ deleted: 1 });
        expect((await tickets()).map((t) => t.label)).toEqual(['GLOBEX-1', 'GLOBEX-2']);
        expectError(await ormai.call('db_delete', { model: 'Ticket', id: 2, reason: REASON }, ACME), 'not_found');
      });
    });

    describe('foreign keys are tenant-checked whichever side declared the association', () => {
      let acmeClient: number;
      let globexClient: number;
      beforeAll(async () => {
        acmeClient = (await models.Client!.create({ tenantId: 'acme', name: 'A' })).get('id') as number;
        globexClient = (await models.Client!.create({ tenantId: 'globex', name: 'G' })).get('id') as number;
      });

      it("an Acme invoice cannot point at Globex's client, and a missing client gets the very same answer", async () => {
        const ormai = build(invoicePolicy());
        const count = () => models.Invoice!.count();
        const before = await count();
        const foreign = expectError(await ormai.call('db_create', { model: 'Invoice', values: { clientId: globexClient, amount: 5 }, reason: REASON }, ACME), 'invalid_input');
        const missing = expectError(await ormai.call('db_create', { model: 'Invoice', values: { clientId: 987_654, amount: 5 }, reason: REASON }, ACME), 'invalid_input');
        expect(foreign).toEqual(missing);
        expect(await count()).toBe(before);
        expectOk(await ormai.call('db_create', { model: 'Invoice', values: { clientId: acmeClient, amount: 5 }, reason: REASON }, ACME));
      });

      it('refuses a writable foreign key into a model the policy does not cover, even without an association', () => {
        const policy = base({ Invoice: { write: { create: true, writableFields: ['projectId'] } } });
        expect(() => build(policy)).toThrow(PolicyDefinitionError);
        expect(() => build(policy)).toThrow(/projectId' refers to 'Project'/);
      });

      it('a create preview runs no hooks, validate hooks included', async () => {
        let hookCalls = 0;
        models.Invoice!.addHook('beforeValidate', 'count', () => void (hookCalls += 1));
        models.Invoice!.addHook('afterValidate', 'count-after', () => void (hookCalls += 1));
        try {
          const ormai = build(invoicePolicy());
          expectOk(await ormai.call('db_preview_write', { operation: 'create', model: 'Invoice', values: { clientId: acmeClient, amount: 7 } }, ACME));
          expect(hookCalls).toBe(0);
        } finally {
          models.Invoice!.removeHook('beforeValidate', 'count');
          models.Invoice!.removeHook('afterValidate', 'count-after');
        }
      });
    });

    describe('unique constraints, masks and approval rules cannot answer for hidden values', () => {
      beforeAll(async () => {
        await models.Account!.bulkCreate([
          { tenantId: 'acme', email: 'jane@acme.test', code: 'A-1', handle: 'jane', pin: '1111', loyaltyCode: 'GOLD', creditScore: 700, status: 'active' },
          { tenantId: 'globex', email: 'bob@globex.test', code: 'G-1', handle: 'bob', pin: '2222', loyaltyCode: 'GOLD', creditScore: 400, status: 'active' },
        ]);
      });
      const refusal = (write: NonNullable<ModelPolicy['write']>) => {
        try {
          build(base(accountModels(write)));
        } catch (error) {
          expect(error).toBeInstanceOf(PolicyDefinitionError);
          return (error as PolicyDefinitionError).problems.join('\n');
        }
        return null;
      };

      it('a field under a unique constraint across tenants is writable only when the policy acknowledges the oracle', () => {
        expect(refusal({ update: true, writableFields: ['code'] })).toMatch(/'code' is under a unique constraint across tenants.*acknowledgeUniqueOracle/);
        expect(refusal({ update: true, writableFields: ['code'], acknowledgeUniqueOracle: ['code'] })).toBeNull();
      });

      it('unique keys count wherever they are declared: the uniqueKeys option, expression indexes, paranoid models', () => {
        const problems = (models: Record<string, ModelPolicy>) => {
          try {
            build(base(models));
            return null;
          } catch (error) {
            return (error as PolicyDefinitionError).problems.join('\n');
          }
        };
        expect(problems({ Coupon: { write: { create: true, writableFields: ['code'] } } })).toMatch(/'code' is under a unique constraint across tenants/);
        expect(problems({ Handle: { write: { create: true, writableFields: ['handle'] } } })).toMatch(/'handle' is under a unique constraint across tenants \(\*\)/);
        // Per tenant, but a destroyed row still holds its name: creating it again would tell the agent it existed.
        expect(problems({ Secretive: { write: { create: true, writableFields: ['name'] } } })).toMatch(/'name' is under a unique constraint.*rows the agent cannot see/);
        expect(problems({ Secretive: { write: { create: true, writableFields: ['name'], acknowledgeUniqueOracle: ['name'] } } })).toBeNull();
      });

      it('a relation cannot join on a key the agent cannot read in clear', () => {
        const policy = { Member: { relations: ['tier'] }, Tier: { tenantScope: false as const } };
        expect(() => build(base(policy))).toThrow(/relations\.tier: it joins on 'Member\.loyaltyCode', which the agent cannot read in clear/);
      });

      it('masked fields need an explicit opt-in; hash-masked and denied fields are never writable', () => {
        expect(refusal({ update: true, writableFields: ['email'] })).toMatch(/'email' is masked \('email'\); list it in maskedWritableFields/);
        expect(refusal({ update: true, writableFields: ['email'], maskedWritableFields: ['email'], acknowledgeUniqueOracle: ['email'] })).toBeNull();
        // A create preview would hand back the HMAC of any guess: a dictionary oracle.
        expect(refusal({ create: true, writableFields: ['loyaltyCode'], maskedWritableFields: ['loyaltyCode'] })).toMatch(/'loyaltyCode' is masked with 'hash' and can never be writable/);
        expect(refusal({ update: true, writableFields: ['creditScore'] })).toMatch(/'creditScore' is denied and can never be writable/);
      });

      it('approval rules cannot look at fields the agent cannot read in clear', () => {
        const rule = { name: 'risky', operations: ['update' as const], approverRoles: ['risk'], slaMs: 60_000 };
        expect(refusal({ update: true, writableFields: ['status'], approvals: [{ ...rule, when: { field: 'creditScore', op: 'lt', value: 500 } }] })).toMatch(/risky\.when.*creditScore/);
        expect(refusal({ update: true, writableFields: ['status'], approvals: [{ ...rule, when: { field: 'email', op: 'eq', value: 'jane@acme.test' } }] })).toMatch(/risky\.when.*email/);
      });

      it('a rule on a masked field fires whenever it is written, so it cannot confirm the current value', async () => {
        const ormai = build(
          base(
            accountModels({
              update: true,
              writableFields: ['email'],
              maskedWritableFields: ['email'],
              acknowledgeUniqueOracle: ['email'],
              approvals: [{ name: 'email-change', operations: ['update'], fieldsChanged: ['email'], approverRoles: ['support'], slaMs: 60_000 }],
            }),
          ),
        );
        const id = (await models.Account!.findOne({ where: { tenantId: 'acme' } }))!.get('id');
        const guessRight = await ormai.callTool('db_preview_write', { operation: 'update', model: 'Account', id, values: { email: 'jane@acme.test' } }, ACME);
        const guessWrong = await ormai.callTool('db_preview_write', { operation: 'update', model: 'Account', id, values: { email: 'nope@acme.test' } }, ACME);
        expect(expectOk(guessRight).requiresApproval).toEqual(['email-change']);
        expect(expectOk(guessWrong).requiresApproval).toEqual(['email-change']);
        expectError(await ormai.callTool('db_update', { model: 'Account', id, values: { email: 'jane@acme.test' }, reason: REASON }, ACME), 'approval_required');
      });

      it('a preview does not go stale when only a column the agent cannot read changes', async () => {
        const ormai = build(base(accountModels({ bulkUpdate: true, writableFields: ['status'], dryRunAbove: 0 })));
        const args = { model: 'Account', where: { field: 'status', op: 'eq', value: 'active' }, values: { status: 'checked' } };
        const { previewId } = expectOk(await ormai.callTool('db_preview_write', { operation: 'bulk_update', ...args }, ACME));
        await db.sequelize.query("UPDATE accounts SET credit_score = 1, pin = '9999' WHERE tenant_id = 'acme'");
        expect(expectOk(await ormai.callTool('db_bulk_update', { ...args, previewId, reason: REASON }, ACME)).affectedRows).toBe(1);
        // A change the agent can see still makes it stale.
        const again = { ...args, where: { field: 'status', op: 'eq', value: 'checked' }, values: { status: 'active' } };
        const second = expectOk(await ormai.callTool('db_preview_write', { operation: 'bulk_update', ...again }, ACME));
        await db.sequelize.query("UPDATE accounts SET handle = 'janet' WHERE tenant_id = 'acme'");
        expectError(await ormai.callTool('db_bulk_update', { ...again, previewId: second.previewId, reason: REASON }, ACME), 'dry_run_required');
      });

      it('a unique violation never names a column the agent cannot read', async () => {
        await db.sequelize.query("UPDATE accounts SET handle = 'jane', pin = '1111' WHERE tenant_id = 'acme'");
        const ormai = build(base(accountModels({ create: true, writableFields: ['handle', 'status'], acknowledgeUniqueOracle: ['handle'] })));
        // pin is denied; (handle, pin) is unique and Acme's row has pin 1111 (hidden). A new row gets pin NULL, so
        // force the clash through a default: the model's hook sets pin as the application would.
        models.Account!.addHook('beforeCreate', 'pin', (row: Model) => void row.set('pin', '1111'));
        try {
          const error = expectError(await ormai.call('db_create', { model: 'Account', values: { handle: 'jane', status: 'new' }, reason: REASON }, ACME), 'invalid_input');
          expect(JSON.stringify(error)).not.toMatch(/pin|1111/);
        } finally {
          models.Account!.removeHook('beforeCreate', 'pin');
        }
      });
    });

    it('writes are held to the scan budget: no locking select over the whole table for a filter reads would refuse', async () => {
      await models.Ticket!.bulkCreate(Array.from({ length: 40 }, (_, i) => ({ tenantId: 'acme', id: 100 + i, label: `ACME-${i}`, title: `t${i}` })));
      if (dialect === 'postgres') await db.sequelize.query('ANALYZE tickets');
      const policy = base({ Ticket: { budgets: { maxScanRows: 10 }, write: { update: true, bulkUpdate: true, writableFields: ['title'], maxWritesPerMinute: 1000 } } });
      const ormai = build(policy);
      const unindexed = { field: 'title', op: 'eq', value: 't39' };
      expectError(await ormai.callTool('db_query', { model: 'Ticket', where: unindexed }, ACME), 'scan_budget_exceeded');
      expectError(await ormai.callTool('db_preview_write', { operation: 'bulk_update', model: 'Ticket', where: unindexed, values: { title: 'x' } }, ACME), 'scan_budget_exceeded');
      expectError(await ormai.callTool('db_bulk_update', { model: 'Ticket', where: unindexed, values: { title: 'x' }, reason: REASON }, ACME), 'scan_budget_exceeded');
      expect((await tickets()).filter((t) => t.title === 'x')).toEqual([]);
    });

    it('a reason made of invisible characters or punctuation is no reason', async () => {
      const ormai = build(ticketPolicy());
      await models.Ticket!.create({ tenantId: 'acme', id: 9, label: 'ACME-9', title: 'old' });
      const hangulFillers = ['\u3164'.repeat(4) + ' ' + '\u3164'.repeat(4), '\uffa0'.repeat(4) + ' ' + '\uffa0'.repeat(4), '\u115f'.repeat(4) + ' ' + '\u1160'.repeat(4)];
      const invisible = ['\u200b'.repeat(20) + ' ' + '\u2060'.repeat(20), '. . . . . . . . . .', 'a a a a a a a a a a', '\u00a0\u200b\u200c\u200d\ufeff \u2060\u2061\u2062\u2063\u2064'];
      for (const reason of [...invisible, ...hangulFillers, 'a\u0000aaaaaaa bbbbbbbb because']) {
        expectError(await ormai.call('db_update', { model: 'Ticket', id: 9, values: { title: 'x' }, reason }, ACME), 'reason_required');
      }
      expectOk(await ormai.call('db_update', { model: 'Ticket', id: 9, values: { title: 'x' }, reason: 'Kunde bat per E-Mail um Korrektur' }, ACME));
      // A lone surrogate would be stored as U+FFFD: the value is refused, not silently changed.
      expectError(await ormai.call('db_update', { model: 'Ticket', id: 9, values: { title: 'broken \ud800 text' }, reason: REASON }, ACME), 'invalid_input');
    });
  });
}
