/** What an adapter reports about the database: the raw material the policy is bound against. */
export type FieldType = 'string' | 'enum' | 'integer' | 'number' | 'boolean' | 'date' | 'dateonly' | 'uuid' | 'json' | 'other';

export interface FieldInfo {
  name: string;
  /** The database column, when it differs from the attribute name; deny globs are matched against both. */
  column?: string;
  type: FieldType;
  primaryKey: boolean;
  allowNull: boolean;
  /** Leading column of an index (or the primary key / a unique column): filters on it can use an index. */
  indexed: boolean;
  /** Maintained by the ORM (created/updated/deleted timestamps): never writable by the agent. */
  managed?: boolean;
  /** The allowed values of an enum field. */
  values?: string[];
}

export type RelationKind = 'belongsTo' | 'hasOne' | 'hasMany';

/** Rows join where `source[sourceKey] = target[targetKey]`. */
export interface RelationInfo {
  name: string;
  kind: RelationKind | 'unsupported';
  target: string;
  sourceKey: string;
  targetKey: string;
}

export interface ModelInfo {
  name: string;
  primaryKey: string[];
  fields: Record<string, FieldInfo>;
  relations: Record<string, RelationInfo>;
  /** Declared multi-column indexes as attribute lists; lets the policy see indexes led by the tenant field. */
  indexes?: string[][];
}

export interface SchemaInfo {
  models: Record<string, ModelInfo>;
}
