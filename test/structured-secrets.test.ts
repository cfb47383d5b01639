import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataTypes, type ModelAttributes } from 'sequelize';
import { createOrmAI, definePolicy, DEFAULT_PROD, type OrmAI, type TenantRunContext } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { DIALECTS, openDatabase, type TestDatabase } from './support/databases.js';
import { expectOk } from './support/assertions.js';

const ACME: TenantRunContext = { tenantId: 'acme', userId: 'u-acme' };

const expectNoSecrets = (value: unknown) => {
  const text = JSON.stringify(value);
  expect(text).not.toMatch(/SECRET|4111111111111111|eyJ/);
};

/** A webhook config as an application stores it: credentials under every spelling a schema author might pick. */
const CONFIG = {
  url: 'https://hooks.example.org',
  headers: { Authorization: 'Bearer SECRET-BEARER', 'Proxy-Authorization': 'Basic SECRET-PROXY', Cookie: 'sid=SECRET-COOKIE', Accept: 'application/json' },
  'pass.word': 'SECRET-DOT',
  'api.key': 'SECRET-APIDOT',
  jwt: 'eyJSECRET',
  auth: { user: 'ops', pass: 'SECRET-PASS' },
  db_pass: 'SECRET-DBPASS',
  security_answer: 'SECRET-ANSWER',
  cc: '4111111111111111',
  'pass\u200bword': 'SECRET-ZW',
  '\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44': 'SECRET-FULLWIDTH',
  author: 'jane',
  passenger: 'bob',
};
const CONFIG_SHOWN = { url: 'https://hooks.example.org', headers: { Accept: 'application/json' }, author: 'jane', passenger: 'bob' };

const ENDPOINTS = [{ url: 'https://a.example.org', api_key: 'SECRET-APIKEY-1', password: 'SECRET-PW-1' }, { url: 'https://b.example.org', headers: { Authorization: 'Bearer SECRET-2' } }];
const ENDPOINTS_SHOWN = [{ url: 'https://a.example.org' }, { url: 'https://b.example.org', headers: {} }];

for (const dialect of DIALECTS) {
  describe(`${dialect}: secrets inside structured columns, however the keys are spelled`, () => {
    let db: TestDatabase;
    let ormai: OrmAI;
    const postgres = dialect === 'postgres';

    beforeAll(async () => {
      db = await openDatabase(dialect);
      if (postgres) await db.sequelize.query('CREATE EXTENSION hstore');
      const attributes: ModelAttributes = {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        tenantId: { type: DataTypes.STRING(64), allowNull: false, field: 'tenant_id' },
        config: DataTypes.JSON,
        ...(postgres ? { endpoints: DataTypes.ARRAY(DataTypes.JSONB), legacyEndpoints: DataTypes.ARRAY(DataTypes.JSON), extras: DataTypes.HSTORE } : {}),
      };
      const Hook = db.sequelize.define('Hook', attributes, { tableName: 'hooks', timestamps: false });
      await Hook.sync();
      await Hook.create({
        tenantId: 'acme',
        config: CONFIG,
        ...(postgres ? { endpoints: ENDPOINTS, legacyEndpoints: ENDPOINTS, extras: { region: 'eu', db_password: 'SECRET-HSTORE', 'api.key': 'SECRET-HSTORE-2' } } : {}),
      });
      const policy = definePolicy({ profile: DEFAULT_PROD, tenantScope: { field: 'tenantId' }, models: { Hook: {} } });
      ormai = createOrmAI({ adapter: sequelizeAdapter(db.sequelize), policy, secret: 'test-secret' });
    });
    afterAll(async () => {
      await db?.close();
    });

    it('a JSON column hides credentials spelled with dots, invisible characters, fullwidth letters or short names', async () => {
      const { rows } = expectOk(await ormai.call('db_query', { model: 'Hook', select: ['id', 'config'] }, ACME));
      expect(rows[0].config).toEqual(CONFIG_SHOWN);
      expectNoSecrets(rows);
    });

    if (postgres) {
      it('arrays of JSON and JSONB are walked like JSON: their objects lose the secret keys', async () => {
        const { rows } = expectOk(await ormai.call('db_query', { model: 'Hook', select: ['id', 'endpoints', 'legacyEndpoints'] }, ACME));
        expect(rows[0].endpoints).toEqual(ENDPOINTS_SHOWN);
        expect(rows[0].legacyEndpoints).toEqual(ENDPOINTS_SHOWN);
        expectNoSecrets(rows);
      });

      it('an hstore column is read as an object, its keys under the same rules', async () => {
        const { row } = expectOk(await ormai.call('db_get', { model: 'Hook', id: 1 }, ACME));
        expect(row.extras).toEqual({ region: 'eu' });
        expectNoSecrets(row);
      });
    }
  });
}
