import type { FieldInfo, FieldType, ModelInfo, RelationInfo, SchemaInfo } from '@ormai/core';
import type { ModelStatic, Sequelize } from 'sequelize';

/** How the compiler reaches a model's table: every identifier it emits comes from here, never from input. */
export interface TableMeta {
  model: string;
  /** Already quoted for the dialect, schema-qualified when the model has a schema. */
  table: string;
  columns: Record<string, string>;
  types: Record<string, FieldType>;
}

export interface Introspection {
  schema: SchemaInfo;
  tables: Record<string, TableMeta>;
}

const TYPE_MAP: Record<string, FieldType> = {
  STRING: 'string', CHAR: 'string', TEXT: 'string', CITEXT: 'string', ENUM: 'string',
  INTEGER: 'integer', BIGINT: 'integer', SMALLINT: 'integer', MEDIUMINT: 'integer', TINYINT: 'integer',
  FLOAT: 'number', DOUBLE: 'number', 'DOUBLE PRECISION': 'number', REAL: 'number', DECIMAL: 'number', NUMBER: 'number',
  BOOLEAN: 'boolean',
  DATE: 'date',
  DATEONLY: 'dateonly',
  UUID: 'uuid', UUIDV1: 'uuid', UUIDV4: 'uuid',
  JSON: 'json', JSONB: 'json',
};

const typeKey = (type: unknown): string => String((type as { key?: string })?.key ?? '');

/** Leading columns of declared indexes (usable for filters), as attribute names. */
function indexedAttributes(model: ModelStatic<any>, columnToAttr: Map<string, string>): Set<string> {
  const indexed = new Set<string>(model.primaryKeyAttributes);
  for (const [name, attr] of Object.entries(model.getAttributes())) if (attr.unique) indexed.add(name);
  for (const index of model.options.indexes ?? []) {
    const first = index.fields?.[0] as string | { name?: string; attribute?: string } | undefined;
    const column = typeof first === 'string' ? first : (first?.name ?? first?.attribute);
    if (column) indexed.add(columnToAttr.get(column) ?? column);
  }
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
    const indexed = indexedAttributes(model, columnToAttr);
    const fields: Record<string, FieldInfo> = {};
    const meta: TableMeta = { model: model.name, table: quoteTable(model.getTableName()), columns: {}, types: {} };

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
      };
      meta.columns[name] = column;
      meta.types[name] = type;
    }
    const relations: Record<string, RelationInfo> = {};
    for (const [name, association] of Object.entries(model.associations)) relations[name] = relationOf(name, association);

    models[model.name] = { name: model.name, primaryKey: [...model.primaryKeyAttributes], fields, relations };
    tables[model.name] = meta;
  }
  return { schema: { models }, tables };
}
