import type { FilterNode, OrmAIAdapter, Policy, Row, SchemaInfo } from '@ormai/core';

/**
 * Reads the database as it is, through the adapter, past the policy: the probes need tenant B's real
 * keys and the clear values behind masks to compare against. Nothing read here reaches any output.
 */
const UNLIMITED = { maxScanRows: Number.MAX_SAFE_INTEGER, statementTimeoutMs: 60_000 };
const ALL: FilterNode = { kind: 'and', children: [] };

/** Every row of a model matching `filter`, every attribute, in primary key order. */
export async function rawRows(adapter: OrmAIAdapter, schema: SchemaInfo, model: string, filter: FilterNode = ALL): Promise<Row[]> {
  const info = schema.models[model]!;
  const pk = info.primaryKey[0]!;
  return adapter.select({ model, fields: Object.keys(info.fields), filter, orderBy: [{ field: pk, direction: 'asc' }], limit: 1_000_000, includes: [] }, UNLIMITED);
}

/**
 * The attribute holding the tenant of a model's rows, read from the schema: the model's own `{ field }`,
 * else the policy's, when the model has it. A model marked `tenantScope: false` that still has the
 * tenant column is tenant data all the same: that is what the cross-tenant probe must catch.
 */
export function tenantColumn(policy: Policy, schema: SchemaInfo, model: string): string | null {
  const own = policy.models[model]?.tenantScope;
  const field = own ? own.field : policy.tenantScope ? policy.tenantScope.field : null;
  return field && schema.models[model]?.fields[field] ? field : null;
}

/** A stable text of rows, to compare snapshots. */
export const snapshotText = (rows: Row[]): string => JSON.stringify(rows, (_, value: unknown) => (value instanceof Date ? value.toISOString() : value));
