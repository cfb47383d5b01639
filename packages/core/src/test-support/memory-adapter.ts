import type { FilterNode } from '../spec/plan.js';
import type { OrmAIAdapter, Row, WriteEffect } from '../spec/adapter.js';
import type { FieldInfo, SchemaInfo } from '../schema-info.js';

/**
 * A small in-memory adapter for core's unit tests: it evaluates the plans core hands it (so the tenant
 * scope and field checks under test are core's doing), and runs writes with the hooks in a pretend
 * transaction that rolls back when a hook throws. The cross-package suites use real databases.
 */
export interface MemoryAdapter extends OrmAIAdapter {
  rows: Record<string, Row[]>;
  /** Every plan filter the adapter was given, for tests that assert on the tenant predicate. */
  filters: FilterNode[];
}

const text = (value: unknown) => String(value ?? '').toLowerCase();

function matches(row: Row, filter: FilterNode): boolean {
  switch (filter.kind) {
    case 'and':
      return filter.children.every((child) => matches(row, child));
    case 'or':
      return filter.children.some((child) => matches(row, child));
    case 'not':
      return !matches(row, filter.child);
    case 'cmp': {
      const value = row[filter.field] ?? null;
      const wanted = filter.value;
      switch (filter.op) {
        case 'eq':
          return value === wanted;
        case 'ne':
          return value !== wanted;
        case 'in':
          return (wanted as unknown[]).includes(value);
        case 'is_null':
          return (value === null) === wanted;
        case 'contains':
          return text(value).includes(text(wanted));
        case 'gt':
          return value !== null && (value as number) > (wanted as number);
        default:
          throw new Error(`memory adapter: unsupported op ${filter.op}`);
      }
    }
  }
}

export const memoryField = (name: string, type: FieldInfo['type'], extra: Partial<FieldInfo> = {}): FieldInfo => ({
  name,
  type,
  primaryKey: false,
  allowNull: true,
  indexed: false,
  ...extra,
});

export function memoryAdapter(schema: SchemaInfo, rows: Record<string, Row[]>): MemoryAdapter {
  const filters: FilterNode[] = [];
  const find = (model: string, filter: FilterNode) => {
    filters.push(filter);
    return (rows[model] ?? []).filter((row) => matches(row, filter));
  };
  let nextId = 1_000;
  return {
    rows,
    filters,
    dialect: 'memory',
    capabilities: { scanEstimate: 'none', statementTimeout: false, readOnlyTransactions: false, rowLevelSecurity: false },
    introspect: () => schema,
    async select(plan) {
      if (plan.includes.length) throw new Error('memory adapter: includes are not supported');
      const found = find(plan.model, plan.filter).sort((a, b) => {
        for (const { field, direction } of plan.orderBy) {
          const order = String(a[field]).localeCompare(String(b[field]), 'en', { numeric: true });
          if (order) return direction === 'asc' ? order : -order;
        }
        return 0;
      });
      return found.slice(0, plan.limit).map((row) => Object.fromEntries(plan.fields.map((name) => [name, row[name] ?? null])));
    },
    async aggregate(plan) {
      return [{ keys: {}, value: find(plan.model, plan.filter).length }];
    },
    async write(request, _options, hooks) {
      const table = (rows[request.model] ??= []);
      const targets = request.operation === 'create' ? [] : find(request.model, request.filter).slice(0, request.maxRows + 1);
      await hooks.beforeChange(targets.map((row) => ({ ...row })));
      const effect: WriteEffect = { before: targets.map((row) => ({ ...row })), after: [] };
      const snapshot = table.map((row) => ({ ...row }));
      if (request.operation === 'create') effect.after.push({ id: nextId++, ...request.values });
      else if (request.operation !== 'delete') effect.after.push(...targets.map((row) => ({ ...row, ...request.values })));
      if (!request.dryRun) {
        if (request.operation === 'create') table.push(...effect.after);
        else if (request.operation === 'delete') rows[request.model] = table.filter((row) => !targets.includes(row));
        else targets.forEach((row, i) => Object.assign(row, effect.after[i]));
      }
      try {
        await hooks.afterChange?.(effect, { memoryTransaction: true });
      } catch (error) {
        rows[request.model] = snapshot;
        throw error;
      }
      if (request.dryRun) rows[request.model] = snapshot;
      return effect;
    },
  };
}

/** One tenant-scoped model with free text, a secret and a JSON field: what core's domain tool and sanitize tests read. */
export const TICKET_SCHEMA: SchemaInfo = {
  models: {
    Ticket: {
      name: 'Ticket',
      primaryKey: ['id'],
      fields: {
        id: memoryField('id', 'integer', { primaryKey: true, allowNull: false, indexed: true }),
        tenantId: memoryField('tenantId', 'string', { indexed: true }),
        status: memoryField('status', 'string'),
        notes: memoryField('notes', 'string'),
        remarks: memoryField('remarks', 'string'),
        internal: memoryField('internal', 'string'),
        apiToken: memoryField('apiToken', 'string'),
        meta: memoryField('meta', 'json'),
      },
      relations: {},
    },
  },
};
