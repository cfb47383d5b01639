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
  /** Width of an integer column (SMALLINT 16, INTEGER 32, BIGINT 64): values outside it are refused before SQL. */
  integerBits?: 16 | 32 | 64;
  /** The application hides it from every read (Sequelize defaultScope `attributes.exclude`): always denied. */
  hidden?: boolean;
  /** A foreign key: the model (by name; the table name when no model maps it) and attribute it points at. */
  references?: { model: string; key: string };
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
  /** The application soft-deletes rows by setting this date field (Sequelize `paranoid`): such rows are hidden everywhere. */
  softDelete?: { field: string; type: 'date' };
  /** Plain equalities the application's default scope puts on every read (Sequelize defaultScope `where`): OrmAI adds them too. */
  defaultFilter?: Array<{ field: string; value: string | number | boolean | null }>;
  /** What the ORM does to every read that OrmAI cannot reproduce: binding refuses the model, quoting these. */
  unsupported?: string[];
  /**
   * Unique constraints other than the primary key, as attribute lists: a write can learn whether a value
   * is taken. A part the adapter cannot name (an expression index) is ANY_FIELD.
   */
  uniqueKeys?: string[][];
}

/** In a unique key, a part that may be any field (an expression such as lower(email)). */
export const ANY_FIELD = '*';

export interface SchemaInfo {
  models: Record<string, ModelInfo>;
}
