import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataTypes } from 'sequelize';
import { createOrmAI, definePolicy, type OrmAI, type TenantRunContext } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { DIALECTS, openDatabase, type TestDatabase } from './support/databases.js';
import { expectOk } from './support/assertions.js';

const ACME: TenantRunContext = { tenantId: 'acme', userId: 'u-acme' };
const SECRETS = ['SECRET-APIKEY', 'SECRET-PW', 'SECRET-TOKEN', 'SECRET-DEEP', 'SECRET-ROOT', 'jane.doe', 'payables', 'INTERNAL-ONLY'];
const expectNoSecrets = (value: unknown) => {
  const text = JSON.stringify(value);
  for (const marker of SECRETS) expect(text, `response contains ${marker}`).not.toContain(marker);
};

const SETTINGS = {
  api_key: 'SECRET-APIKEY-1',
  theme: 'dark',
  admin: { password: 'SECRET-PW-1', contactEmail: 'jane.doe@example.org', role: 'owner' },
  list: [{ token: 'SECRET-TOKEN-1', label: 'ci' }, { label: 'deploy', nested: { apiKey: 'SECRET-APIKEY-2' } }],
  billingEmails: ['payables@example.org'],
  internalNotes: 'INTERNAL-ONLY',
};

/** A secret far below any sane depth: redaction must give up on it closed, not open. */
const deep = (levels: number): unknown => (levels === 0 ? { password: 'SECRET-DEEP', plain: 'x' } : { level: deep(levels - 1) });

for (const dialect of DIALECTS) {
  describe(`${dialect}: secrets and PII inside JSON values`, () => {
    let db: TestDatabase;
    let ormai: OrmAI;
    const ids = { workspace: 0, deep: 0, list: 0 };

    beforeAll(async () => {
      db = await openDatabase(dialect);
      const tenantId = { type: DataTypes.STRING(64), allowNull: false, field: 'tenant_id' };
      const Workspace = db.sequelize.define(
        'Workspace',
        { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, tenantId, name: DataTypes.STRING, settings: DataTypes.JSON, meta: DataTypes.JSON },
        { tableName: 'workspaces', timestamps: false },
      );
      const Project = db.sequelize.define(
        'Project',
        { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, tenantId, workspaceId: { type: DataTypes.INTEGER, field: 'workspace_id' } },
        { tableName: 'projects', timestamps: false },
      );
      Workspace.hasMany(Project, { as: 'projects', foreignKey: 'workspaceId' });
      Project.belongsTo(Workspace, { as: 'workspace', foreignKey: 'workspaceId' });
      await db.sequelize.sync();
      const workspace = await Workspace.create({ tenantId: 'acme', name: 'main', settings: SETTINGS, meta: 'api_key is a plain string here' });
      const deepOne = await Workspace.create({ tenantId: 'acme', name: 'deep', settings: deep(200) });
      const list = await Workspace.create({ tenantId: 'acme', name: 'list', settings: [{ password: 'SECRET-ROOT' }, 'loose', 7] });
      await Project.create({ tenantId: 'acme', workspaceId: workspace.get('id') });
      Object.assign(ids, { workspace: workspace.get('id'), deep: deepOne.get('id'), list: list.get('id') });
      const policy = definePolicy({
        profile: 'internal',
        tenantScope: { field: 'tenantId' },
        requireReason: false,
        denyFields: ['*internal*'],
        models: {
          Workspace: { relations: ['projects'], write: { update: true, writableFields: ['name'] } },
          Project: { relations: ['workspace'] },
        },
      });
      ormai = createOrmAI({ adapter: sequelizeAdapter(db.sequelize), policy, secret: 'test-secret' });
    });
    afterAll(async () => {
      await db?.close();
    });

    it('denied keys are removed and masked keys masked at any depth, the rest intact', async () => {
      const { row } = expectOk(await ormai.call('db_get', { model: 'Workspace', id: ids.workspace }, ACME));
      expect(row.settings).toEqual({
        theme: 'dark',
        admin: { contactEmail: 'j***@example.org', role: 'owner' },
        list: [{ label: 'ci' }, { label: 'deploy', nested: {} }],
        billingEmails: ['p***@example.org'],
      });
      // A JSON string is a value, not a key: nothing to match.
      expect(row.meta).toBe('api_key is a plain string here');
      expectNoSecrets(row);
    });

    it('db_query and includes, from either side, never show the nested secrets', async () => {
      const rows = expectOk(await ormai.call('db_query', { model: 'Workspace', include: [{ relation: 'projects' }] }, ACME));
      const projects = expectOk(await ormai.call('db_query', { model: 'Project', include: [{ relation: 'workspace' }] }, ACME));
      expect(projects.rows[0].workspace.settings.theme).toBe('dark');
      expectNoSecrets([rows, projects]);
    });

    it('a JSON array at the root is walked too, and nesting past the limit is redacted whole', async () => {
      const list = expectOk(await ormai.call('db_get', { model: 'Workspace', id: ids.list }, ACME)).row;
      expect(list.settings).toEqual([{}, 'loose', 7]);
      const deepRow = expectOk(await ormai.call('db_get', { model: 'Workspace', id: ids.deep }, ACME)).row;
      expect(JSON.stringify(deepRow.settings)).toContain('[REDACTED]');
      expectNoSecrets([list, deepRow]);
    });

    it('write results show the row through the same redaction', async () => {
      const updated = expectOk(await ormai.call('db_update', { model: 'Workspace', id: ids.workspace, values: { name: 'renamed' }, reason: 'rename' }, ACME));
      expect(updated.row.settings.theme).toBe('dark');
      expectNoSecrets(updated);
    });
  });
}
