import { DataTypes, type ModelStatic, type Model, type Sequelize } from 'sequelize';

// The benchmark's Sequelize models over dataset.ts's tables: the same definitions serve the Sequelize
// baselines and OrmAI's adapter.

const tenantId = { type: DataTypes.STRING(32), allowNull: false, field: 'tenant_id' };
const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true };

export interface BenchModels {
  Event: ModelStatic<Model>;
  Note: ModelStatic<Model>;
  Tag: ModelStatic<Model>;
  SkewedEvent: ModelStatic<Model>;
  Account: ModelStatic<Model>;
  /** The events table at each size, for the scale scenario. */
  bySize: Record<string, ModelStatic<Model>>;
}

function defineEvents(sequelize: Sequelize, name: string, tableName: string) {
  return sequelize.define(
    name,
    {
      id,
      tenantId,
      kind: { type: DataTypes.STRING(32), allowNull: false },
      amount: { type: DataTypes.INTEGER, allowNull: false },
      payload: { type: DataTypes.TEXT, allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false, field: 'created_at' },
    },
    { tableName, timestamps: false, indexes: [{ fields: ['tenant_id', 'kind'] }, { fields: ['tenant_id', 'id'] }] },
  );
}

export function defineModels(sequelize: Sequelize): BenchModels {
  const Event = defineEvents(sequelize, 'Event', 'events');
  const Note = sequelize.define(
    'Note',
    { id, tenantId, eventId: { type: DataTypes.INTEGER, allowNull: false, field: 'event_id' }, body: { type: DataTypes.TEXT, allowNull: false } },
    { tableName: 'notes', timestamps: false, indexes: [{ fields: ['tenant_id', 'event_id'] }] },
  );
  const Tag = sequelize.define(
    'Tag',
    { id, tenantId, eventId: { type: DataTypes.INTEGER, allowNull: false, field: 'event_id' }, label: { type: DataTypes.TEXT, allowNull: false } },
    { tableName: 'tags', timestamps: false },
  );
  Event.hasMany(Note, { as: 'notes', foreignKey: 'eventId' });
  Event.hasMany(Tag, { as: 'tags', foreignKey: 'eventId' });
  const SkewedEvent = sequelize.define(
    'SkewedEvent',
    { id, tenantId, status: { type: DataTypes.STRING(16), allowNull: false }, amount: { type: DataTypes.INTEGER, allowNull: false } },
    { tableName: 'skewed_events', timestamps: false, indexes: [{ fields: ['tenant_id', 'status'] }, { fields: ['tenant_id', 'id'] }] },
  );
  const Account = sequelize.define(
    'Account',
    { id, tenantId, name: { type: DataTypes.TEXT, allowNull: false }, balance: { type: DataTypes.INTEGER, allowNull: false } },
    { tableName: 'accounts', timestamps: false, indexes: [{ fields: ['tenant_id', 'id'] }] },
  );
  const bySize = {
    '10k': defineEvents(sequelize, 'Event10k', 'events_10k'),
    '100k': defineEvents(sequelize, 'Event100k', 'events_100k'),
    '1M': Event,
  };
  return { Event, Note, Tag, SkewedEvent, Account, bySize };
}
