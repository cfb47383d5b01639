// Runs one PostgreSQL read through OrmAI, closes Sequelize and does nothing else: the process must exit
// on its own, so idle read-pool connections must not hold it open.
import { DataTypes } from 'sequelize';
import { createOrmAI, definePolicy } from '@ormai/core';
import { sequelizeAdapter } from '@ormai/sequelize';
import { openDatabase } from './databases.js';

const db = await openDatabase('postgres');
db.sequelize.define('Note', { tenantId: DataTypes.STRING, body: DataTypes.STRING }, { tableName: 'notes', timestamps: false });
await db.sequelize.sync();
const ormai = createOrmAI({ adapter: sequelizeAdapter(db.sequelize), policy: definePolicy({ tenantScope: { field: 'tenantId' }, models: { Note: {} } }), secret: 's' });
const result = await ormai.call('db_query', { model: 'Note' }, { tenantId: 't', userId: 'u' });
await db.close();
console.log(JSON.stringify(result));
