import { allowsTool, bindPolicy, type BoundPolicy, type GenericToolName, type OrmAI, type RunContext, type Row, type SchemaInfo, type TenantRunContext, type ToolResult } from '@ormai/core';
import { rawRows, tenantColumn } from './raw-rows.js';

/** A model's rows as they are in the database, with its key: tenant B's are what must never leak. */
export interface ModelRows {
  model: string;
  primaryKey: string;
  /** The tenant attribute, or null for reference data shared by every tenant. */
  tenantField: string | null;
  /** Tenant A's rows (every row for reference data). */
  a: Row[];
  /** Tenant B's rows (none for reference data). */
  b: Row[];
}

export interface Principals {
  a: TenantRunContext;
  b: TenantRunContext;
  approver?: RunContext | undefined;
}

/** What every probe works with: the instance, its bound policy, the principals, and a counter of audited calls. */
export interface ProbeSession {
  ormai: OrmAI<TenantRunContext>;
  bound: BoundPolicy;
  schema: SchemaInfo;
  principals: Principals;
  tools: Set<string>;
  /** Whether the instance offers generic tool `tool` and the policy's switches let it touch `model`. */
  offers(tool: GenericToolName, model: string): boolean;
  /** Names of the config's domain tools: the probes cannot call them (their inputs are the app's own). */
  domainTools: string[];
  /** Policy models with their rows, by name. */
  rows: Record<string, ModelRows>;
  /** Audited actions so far (tool calls and approval decisions): the audit probe expects one record each. */
  calls: number;
  call(tool: string, input: unknown, context: RunContext): Promise<ToolResult>;
  /** Denies an approval the probes opened, as the config's approver (one audited action). */
  deny(approvalId: string): Promise<ToolResult | null>;
}

export async function openSession(ormai: OrmAI<TenantRunContext>, principals: Principals): Promise<ProbeSession> {
  const schema = ormai.adapter.introspect();
  const bound = bindPolicy(ormai.policy, schema);
  const rows: Record<string, ModelRows> = {};
  for (const model of bound.modelNames) rows[model] = await readModelRows(ormai, schema, model, principals);
  const tools = new Set(ormai.tools().map((t) => t.name));
  const session: ProbeSession = {
    ormai,
    bound,
    schema,
    principals,
    tools,
    offers: (tool, model) => tools.has(tool) && allowsTool(ormai.policy, model, tool),
    domainTools: [...tools].filter((name) => !name.startsWith('db_')),
    rows,
    calls: 0,
    call(tool, input, context) {
      session.calls++;
      return ormai.callTool(tool, input, context);
    },
    async deny(approvalId) {
      if (!principals.approver) return null;
      session.calls++;
      return ormai.approvals.deny(approvalId, principals.approver, 'ormai verify: probe request, not a real change');
    },
  };
  return session;
}

async function readModelRows(ormai: OrmAI<TenantRunContext>, schema: SchemaInfo, model: string, principals: Principals): Promise<ModelRows> {
  const primaryKey = schema.models[model]!.primaryKey[0]!;
  const tenantField = tenantColumn(ormai.policy, schema, model);
  if (!tenantField) return { model, primaryKey, tenantField, a: await rawRows(ormai.adapter, schema, model), b: [] };
  const of = (tenantId: string) => rawRows(ormai.adapter, schema, model, { kind: 'cmp', field: tenantField, op: 'eq', value: tenantId });
  return { model, primaryKey, tenantField, a: await of(principals.a.tenantId), b: await of(principals.b.tenantId) };
}

/** Calls `visit` on every row of a result, nested included rows too, with the model each belongs to. */
export function walkRows(bound: BoundPolicy, model: string, rows: unknown, visit: (model: string, row: Row) => void): void {
  const list = Array.isArray(rows) ? rows : rows && typeof rows === 'object' ? [rows] : [];
  const relations = bound.models[model]?.relations ?? {};
  for (const row of list as Row[]) {
    visit(model, row);
    for (const [name, relation] of Object.entries(relations)) if (name in row) walkRows(bound, relation.target, row[name], visit);
  }
}

/** A value as a tool accepts it (dates as ISO text). */
export const scalar = (value: unknown): string | number | boolean | null =>
  value instanceof Date ? value.toISOString() : typeof value === 'bigint' ? Number(value) : (value as string | number | boolean | null);

export const keysOf = (rows: readonly Row[], field: string): Array<string | number> => rows.map((r) => scalar(r[field]) as string | number);

export const REASON = 'ormai verify pre-launch probe, expected to be refused';
