/**
 * Type tests for @ormai/core's public API: what must compile, and (under `@ts-expect-error`) the misuse
 * that must not. Compiled only (`tsc -p types/tsconfig.json`), never run.
 */
import { z } from 'zod';
import {
  createOrmAI,
  defineTool,
  definePolicy,
  errors,
  OrmAIError,
  type ErrorDetailsOf,
  type ErrorPayload,
  type OrmAIAdapter,
  type Policy,
  type QueryInput,
  type Row,
  type RunContext,
  type TenantFreePolicy,
  type TenantRunContext,
  type ToolResult,
} from '@ormai/core';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T | undefined => undefined;

declare const adapter: OrmAIAdapter;
const acme = { tenantId: 'acme', userId: 'u-1' };
const noTenant: RunContext = { userId: 'u-1' };

// definePolicy keeps what the spec says about tenants; anything loosely typed needs a tenantId (fail closed).
const scoped = definePolicy({ tenantScope: { field: 'tenantId' }, models: { Order: {} } });
const tenantFree = definePolicy({ tenantScope: false, models: { Country: {} } });
const overridden = definePolicy({ tenantScope: false, models: { Country: {}, Order: { tenantScope: { field: 'tenantId' } } } });
const fromJson = definePolicy(JSON.parse('{}'));
const again = definePolicy(tenantFree); // idempotent, types included
assertType<Equal<typeof scoped, Policy>>();
assertType<Equal<typeof tenantFree, TenantFreePolicy>>();
assertType<Equal<typeof overridden, Policy>>();
assertType<Equal<typeof fromJson, Policy>>();
assertType<Equal<typeof again, TenantFreePolicy>>();

const ormai = createOrmAI({ adapter, policy: scoped });
const open = createOrmAI({ adapter, policy: tenantFree });
const parsed = createOrmAI({ adapter, policy: JSON.parse('{}') as Policy });
const untyped = createOrmAI({ adapter, policy: JSON.parse('{}') });
assertType<Equal<Parameters<typeof ormai.call>[2], TenantRunContext>>();
assertType<Equal<Parameters<typeof open.call>[2], RunContext>>();

export async function typedCalls(): Promise<void> {
  const query = await ormai.call('db_query', { model: 'Order', where: { field: 'status', op: 'eq', value: 'open' }, limit: 10 }, acme);
  if (query.ok) {
    const rows: Row[] = query.data.rows;
    const next: string | null = query.data.nextCursor;
    void [rows, next];
  } else {
    const code: ErrorPayload['code'] = query.error.code;
    void code;
  }
  const input: QueryInput = { model: 'Order', orderBy: [{ field: 'id', direction: 'desc' }] };
  await ormai.call('db_query', input, acme);

  const got = await ormai.call('db_get', { model: 'Order', id: 1 }, acme);
  if (got.ok) {
    const row: Row = got.data.row;
    // @ts-expect-error db_get answers { row }, not { rows }
    void got.data.rows;
    void row;
  }
  const counted = await ormai.call('db_aggregate', { model: 'Order', op: 'count', groupBy: ['status'] }, acme);
  if (counted.ok && 'groups' in counted.data) {
    const truncated: boolean = counted.data.truncated;
    void truncated;
  }
  const created = await ormai.call('db_create', { model: 'Order', values: { status: 'open' }, reason: 'customer asked by email' }, acme);
  if (created.ok) {
    const row: Row | null = created.data.row;
    void row;
  }
  const deleted = await ormai.call('db_delete', { model: 'Order', id: 7, reason: 'duplicate order from a retry' }, acme);
  if (deleted.ok) {
    const soft: boolean = deleted.data.soft;
    void soft;
  }
  const preview = await ormai.call('db_preview_write', { operation: 'bulk_update', model: 'Order', where: { field: 'status', op: 'eq', value: 'open' }, values: { status: 'closed' } }, acme);
  if (preview.ok) {
    const previewId: string = preview.data.previewId;
    await ormai.call('db_bulk_update', { model: 'Order', where: { field: 'status', op: 'eq', value: 'open' }, values: { status: 'closed' }, reason: 'closing stale orders', previewId }, acme);
  }

  // @ts-expect-error a typo in a tool name
  await ormai.call('db_qurey', { model: 'Order' }, acme);
  // @ts-expect-error model must be a string
  await ormai.call('db_query', { model: 1 }, acme);
  // @ts-expect-error an unknown key (and no model)
  await ormai.call('db_query', { modle: 'Order' }, acme);
  // @ts-expect-error an unknown key beside model
  await ormai.call('db_query', { model: 'Order', modle: 'Order' }, acme);
  // @ts-expect-error an operator the filter grammar does not have
  await ormai.call('db_query', { model: 'Order', where: { field: 'status', op: 'like', value: 'o%' } }, acme);
  // @ts-expect-error db_get needs an id
  await ormai.call('db_get', { model: 'Order' }, acme);

  // The context: tenantId is required unless the policy is known to be tenant-free.
  // @ts-expect-error a tenant-scoped policy needs tenantId
  await ormai.call('db_query', { model: 'Order' }, noTenant);
  // @ts-expect-error a policy typed only as Policy (parsed from JSON) needs tenantId too
  await parsed.call('db_query', { model: 'Order' }, noTenant);
  // @ts-expect-error so does one typed any
  await untyped.call('db_query', { model: 'Order' }, noTenant);
  await open.call('db_query', { model: 'Country' }, noTenant);

  // The escape hatch for dynamic dispatch: any name, any input, checked at runtime only.
  const dynamic: ToolResult = await ormai.callTool(`db_${'query'}`, JSON.parse('{}'), noTenant);
  void dynamic;
}

/** Error payloads narrow on `code`: each code's details are typed. */
export function readError(result: ToolResult): string {
  if (result.ok) return 'ok';
  const error = result.error;
  switch (error.code) {
    case 'scan_budget_exceeded': {
      const fields: string[] = error.details.indexedFields;
      const max: number = error.details.maxScanRows;
      return `${fields.join()} ${max}`;
    }
    case 'rate_limited':
      return `${error.details.retryAfterMs}`;
    case 'approval_required':
      return `${error.details.approvalId} ${error.details.expiresAt}`;
    case 'not_found':
      // @ts-expect-error not_found carries no indexedFields
      return error.details.indexedFields;
    default:
      return error.message;
  }
}

const scan = errors.scanBudgetExceeded({ model: 'Order', maxScanRows: 10_000, indexedFields: ['status'] });
assertType<Equal<typeof scan.code, 'scan_budget_exceeded'>>();
assertType<Equal<typeof scan.details.indexedFields, string[]>>();
assertType<Equal<ErrorDetailsOf<'rate_limited'>, { model: string; maxWritesPerMinute: number; retryAfterMs: number }>>();
export function fromUnknown(value: unknown): ErrorPayload | null {
  return OrmAIError.isInstance(value) ? value.toJSON() : null;
}

// Options read from the environment compile under exactOptionalPropertyTypes.
createOrmAI({ adapter, policy: scoped, secret: process.env.ORMAI_SECRET });

// Domain tools: `run` gets the schema's output and a handle shaped by `access`; a read tool's handle cannot write.
const ordersByStatus = defineTool({
  name: 'orders_by_status',
  description: 'Your orders with one status.',
  input: z.object({ status: z.enum(['open', 'closed']), limit: z.number().int().optional() }),
  access: 'read',
  async run(input, { db, context }) {
    assertType<Equal<typeof input, { status: 'open' | 'closed'; limit?: number | undefined }>>();
    const userId: string = context.userId;
    // @ts-expect-error the run context is read-only
    context.userId = 'someone-else';
    // @ts-expect-error a read tool's handle has no writes
    await db.update({ model: 'Order', id: 1, values: { status: 'closed' }, reason: 'closing it' });
    const { rows } = await db.query({ model: 'Order', where: { field: 'status', op: 'eq', value: input.status }, limit: input.limit });
    return { userId, rows };
  },
});
const closeOrder = defineTool({
  name: 'close_order',
  description: 'Close one of your orders.',
  input: z.object({ id: z.number(), reason: z.string() }),
  access: 'write',
  run: ({ id, reason }, { db }) => db.update({ model: 'Order', id, values: { status: 'closed' }, reason }),
});
const withDomainTools = createOrmAI({ adapter, policy: scoped, tools: [ordersByStatus, closeOrder], sanitizers: { Order: { notes: (text) => text.trim() } } }).withTools();
assertType<Equal<typeof withDomainTools, typeof ormai>>();
// @ts-expect-error access is 'read' or 'write'
defineTool({ name: 'admin_tool', description: 'x', input: z.object({}), access: 'admin', run: () => null });
// @ts-expect-error run's input is the schema's output: no such key
defineTool({ name: 'typo', description: 'x', input: z.object({ id: z.number() }), access: 'read', run: (input) => input.idd });
// Tool switches are policy data: only generic tool names.
definePolicy({ tenantScope: false, tools: ['db_get'], models: { Country: { tools: [] } } });
// @ts-expect-error not a generic tool
definePolicy({ tenantScope: false, models: { Country: { tools: ['db_drop'] } } });
