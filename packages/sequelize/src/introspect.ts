import { ANY_FIELD, type FieldInfo, type FieldType, type ModelInfo, type RelationInfo, type SchemaInfo } from '@ormai/core';
import type { ModelStatic, Sequelize } from 'sequelize';
import { appScopeOf } from './app-scope.js';

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

/**
 * HSTORE and arrays of JSON (or of HSTORE) hold keys too: typed 'json', so the deny and mask globs apply to
 * their keys and the executor parses them (see dialect.ts). Every other type maps by name, or is 'other'.
 */
function fieldTypeOf(type: unknown): FieldType {
  const key = typeKey(type);
  if (key === 'HSTORE') return 'json';
  if (key === 'ARRAY') return fieldTypeOf((type as { type?: unknown }).type) === 'json' ? 'json' : 'other';
  return TYPE_MAP[key] ?? 'other';
}

/** The width PostgreSQL stores each integer type in (TINYINT is int2 there); SQLite takes any, but the model declared it. */
const INTEGER_BITS: Record<string, FieldInfo['integerBits']> = { TINYINT: 16, SMALLINT: 16, MEDIUMINT: 32, INTEGER: 32, BIGINT: 64 };

function integerWidth(type: unknown): Pick<FieldInfo, 'integerBits'> {
  const bits = INTEGER_BITS[typeKey(type)];
  return bits ? { integerBits: bits } : {};
}

type IndexField = string | { name?: string; attribute?: string };

/** Declared indexes as attribute lists (Sequelize index fields name columns). */
function declaredIndexes(indexes: ModelStatic<any>['options']['indexes'], columnToAttr: Map<string, string>): string[][] {
  return (indexes ?? []).map((index) =>
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

/**
 * Unique constraints as attribute lists, from every place Sequelize takes them: `unique` on attributes,
 * the `uniqueKeys` option, unique indexes. A part that is not a plain column becomes ANY_FIELD.
 */
function uniqueKeys(model: ModelStatic<any>, columnToAttr: Map<string, string>): string[][] {
  const attributes = new Set(columnToAttr.values());
  const attributeOf = (part: unknown): string => {
    const named = part as { name?: unknown; attribute?: unknown } | null;
    const column = typeof part === 'string' ? part : (named?.name ?? named?.attribute);
    if (typeof column !== 'string') return ANY_FIELD;
    return columnToAttr.get(column) ?? (attributes.has(column) ? column : ANY_FIELD);
  };
  const declared = [
    ...Object.values((model as unknown as { uniqueKeys?: Record<string, { fields: unknown[] }> }).uniqueKeys ?? {}),
    ...Object.values((model.options as { uniqueKeys?: Record<string, { fields?: unknown[] }> }).uniqueKeys ?? {}),
    ...(model.options.indexes ?? []).filter((index) => index.unique),
  ];
  const primaryKey = [...model.primaryKeyAttributes].sort().join(',');
  return declared
    .map((key) => [...new Set((key.fields ?? []).map(attributeOf))])
    .filter((key) => key.length > 0 && [...key].sort().join(',') !== primaryKey);
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

/** `references` as Sequelize keeps it (a table name, a table object or a model), resolved to a model name. */
function referenceOf(references: unknown, modelByTable: Map<string, string>): Pick<FieldInfo, 'references'> {
  if (!references || typeof references !== 'object') return {};
  const { model, key } = references as { model?: unknown; key?: unknown };
  const table = typeof model === 'string' ? model : ((model as { tableName?: string; name?: string } | undefined)?.tableName ?? (model as { name?: string } | undefined)?.name);
  if (!table) return {};
  return { references: { model: modelByTable.get(table) ?? table, key: typeof key === 'string' ? key : 'id' } };
}

const tableNameOf = (model: ModelStatic<any>) => {
  const name = model.getTableName() as string | { tableName: string };
  return typeof name === 'string' ? name : name.tableName;
};

export function introspect(sequelize: Sequelize): Introspection {
  const quoteTable = (t: unknown) => (sequelize.getQueryInterface() as any).queryGenerator.quoteTable(t) as string;
  const models: Record<string, ModelInfo> = {};
  const tables: Record<string, TableMeta> = {};
  const modelByTable = new Map((Object.values(sequelize.models) as ModelStatic<any>[]).flatMap((m) => [[tableNameOf(m), m.name] as const, [m.name, m.name] as const]));

  for (const model of Object.values(sequelize.models) as ModelStatic<any>[]) {
    const attributes = Object.entries(model.getAttributes()).filter(([, a]) => typeKey(a.type) !== 'VIRTUAL');
    const columnToAttr = new Map(attributes.map(([name, a]) => [a.field ?? name, name]));
    const indexes = declaredIndexes(model.options.indexes, columnToAttr);
    const indexed = indexedAttributes(model, indexes);
    const { hidden, unsupported, ...appScope } = appScopeOf(model, new Set(attributes.map(([name]) => name)));
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
      const type = fieldTypeOf(attr.type);
      fields[name] = {
        name,
        ...(column !== name ? { column } : {}),
        type,
        primaryKey: Boolean(attr.primaryKey),
        allowNull: attr.allowNull !== false,
        indexed: indexed.has(name),
        ...(managed.has(name) ? { managed: true } : {}),
        ...(hidden.has(name) ? { hidden: true } : {}),
        ...(type === 'enum' && Array.isArray(attr.values) ? { values: attr.values.map(String) } : {}),
        ...integerWidth(attr.type),
        ...referenceOf(attr.references, modelByTable),
      };
      meta.columns[name] = column;
      meta.types[name] = type;
    }
    const relations: Record<string, RelationInfo> = {};
    for (const [name, association] of Object.entries(model.associations)) relations[name] = relationOf(name, association);

    models[model.name] = { name: model.name, primaryKey: [...model.primaryKeyAttributes], fields, relations, indexes, uniqueKeys: uniqueKeys(model, columnToAttr), ...appScope, ...(unsupported.length ? { unsupported } : {}) };
    tables[model.name] = meta;
  }
  return { schema: { models }, tables };
}
