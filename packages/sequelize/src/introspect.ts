import type { FieldInfo, FieldType, ModelInfo, RelationInfo, SchemaInfo } from '@ormai/core';
import type { ModelStatic, Sequelize } from 'sequelize';

/** How the compiler reaches a model's table: every identifier it emits comes from here, never from input. */
export interface TableMeta {
  model: string;
  /** Already quoted for the dialect, schema-qualified when the model has a schema. */
  table: string;
  /** The bare table name, for catalog look-ups. */
  name: string;
  columns: Record<string, string>;
  types: Record<string, FieldType>;
  primaryKey: string;
  /** Attribute Sequelize maintains as "updated at", set by writes. */
  updatedAt?: string;
}

export interface Introspection {
  schema: SchemaInfo;
  tables: Record<string, TableMeta>;
}

const TYPE_MAP: Record<string, FieldType> = {
  STRING: 'string', CHAR: 'string', TEXT: 'string', CITEXT: 'string', ENUM: 'enum',
  INTEGER: 'integer', BIGINT: 'integer', SMALLINT: 'integer', MEDIUMINT: 'integer', TINYINT: 'integer',
  FLOAT: 'number', DOUBLE: 'number', 'DOUBLE PRECISION': 'number', REAL: 'number', DECIMAL: 'number', NUMBER: 'number',
  BOOLEAN: 'boolean',
  DATE: 'date',
  DATEONLY: 'dateonly',
  UUID: 'uuid', UUIDV1: 'uuid', UUIDV4: 'uuid',
  JSON: 'json', JSONB: 'json',
};

const typeKey = (type: unknown): string => String((type as { key?: string })?.key ?? '');

type IndexField = string | { name?: string; attribute?: string };

/** Declared indexes as attribute lists (Sequelize index fields name columns). */
function declaredIndexes(model: ModelStatic<any>, columnToAttr: Map<string, string>): string[][] {
  return (model.options.indexes ?? []).map((index) =>
    ((index.fields ?? []) as IndexField[])
      .map((f) => (typeof f === 'string' ? f : (f.name ?? f.attribute ?? '')))
      .map((column) => columnToAttr.get(column) ?? column),
  );
}

/** Attributes a filter can reach through an index on its own: primary key, unique columns, leading index columns. */
function indexedAttributes(model: ModelStatic<any>, indexes: string[][]): Set<string> {
  const indexed = new Set<string>(model.primaryKeyAttributes);
  for (const [name, attr] of Object.entries(model.getAttributes())) if (attr.unique) indexed.add(name);
  for (const index of indexes) if (index[0]) indexed.add(index[0]);
  return indexed;
}

function relationOf(name: string, association: any): RelationInfo {
  const target = association.target.name as string;
  switch (association.associationType) {
    case 'BelongsTo':
      return { name, kind: 'belongsTo', target, sourceKey: association.foreignKey, targetKey: association.targetKey };
    case 'HasMany':
      return { name, kind: 'hasMany', target, sourceKey: association.sourceKey, targetKey: association.foreignKey };
    case 'HasOne':
      return { name, kind: 'hasOne', target, sourceKey: association.sourceKey, targetKey: association.foreignKey };
    default:
      return { name, kind: 'unsupported', target, sourceKey: '', targetKey: '' };
  }
}

export function introspect(sequelize: Sequelize): Introspection {
  const quoteTable = (t: unknown) => (sequelize.getQueryInterface() as any).queryGenerator.quoteTable(t) as string;
  const models: Record<string, ModelInfo> = {};
  const tables: Record<string, TableMeta> = {};

  for (const model of Object.values(sequelize.models) as ModelStatic<any>[]) {
    const attributes = Object.entries(model.getAttributes()).filter(([, a]) => typeKey(a.type) !== 'VIRTUAL');
    const columnToAttr = new Map(attributes.map(([name, a]) => [a.field ?? name, name]));
    const indexes = declaredIndexes(model, columnToAttr);
    const indexed = indexedAttributes(model, indexes);
    const fields: Record<string, FieldInfo> = {};
    const tableName = model.getTableName() as string | { tableName: string };
    const name = typeof tableName === 'string' ? tableName : tableName.tableName;
    const updatedAt = model.options.timestamps ? ((model as unknown as { _timestampAttributes?: { updatedAt?: string } })._timestampAttributes?.updatedAt) : undefined;
    const meta: TableMeta = {
      model: model.name,
      table: quoteTable(tableName),
      name,
      columns: {},
      types: {},
      primaryKey: model.primaryKeyAttributes[0] ?? '',
      ...(updatedAt ? { updatedAt } : {}),
    };

    const managed = new Set(Object.values((model as unknown as { _timestampAttributes?: Record<string, string> })._timestampAttributes ?? {}));
    for (const [name, attr] of attributes) {
      const column = attr.field ?? name;
      const type = TYPE_MAP[typeKey(attr.type)] ?? 'other';
      fields[name] = {
        name,
        ...(column !== name ? { column } : {}),
        type,
        primaryKey: Boolean(attr.primaryKey),
        allowNull: attr.allowNull !== false,
        indexed: indexed.has(name),
        ...(managed.has(name) ? { managed: true } : {}),
        ...(type === 'enum' && Array.isArray(attr.values) ? { values: attr.values.map(String) } : {}),
      };
      meta.columns[name] = column;
      meta.types[name] = type;
    }
    const relations: Record<string, RelationInfo> = {};
    for (const [name, association] of Object.entries(model.associations)) relations[name] = relationOf(name, association);

    models[model.name] = { name: model.name, primaryKey: [...model.primaryKeyAttributes], fields, relations, indexes };
    tables[model.name] = meta;
  }
  return { schema: { models }, tables };
}
