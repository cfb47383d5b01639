import type { GenericToolName, Row, ToolResult } from '@ormai/core';
import { ProbeTally } from './probe-result.js';
import { keysOf, REASON, scalar, walkRows, type ModelRows, type ProbeSession } from './probe-session.js';
import { rawRows, snapshotText } from './raw-rows.js';
import { WRITE_TOOL } from '../policy/tool-switches.js';

const SAMPLE = 5;

/**
 * Probe 1: as tenant A, every tool with tenant B's keys in every argument position (ids, filters on
 * keys and foreign keys, include filters, B's cursors, write targets, foreign key values, bulk where,
 * previews). Nothing of B may come back, and B's rows must be the same afterwards. A write is only
 * attempted after its dry run (db_preview_write) was refused: a broken policy must not change B's data.
 */
export async function probeCrossTenant(session: ProbeSession): Promise<ProbeTally> {
  const tally = new ProbeTally('cross-tenant');
  const { a } = session.principals;
  const tenantModels = Object.values(session.rows).filter((m) => m.tenantField && m.b.length);
  if (!tenantModels.length) {
    tally.note(`tenant ${session.principals.b.tenantId} has no rows to look for`);
    return tally;
  }
  const bKeys = new Map(Object.values(session.rows).map((m) => [m.model, new Set(keysOf(m.b, m.primaryKey).map(String))]));
  const before = await snapshotOfB(session, tenantModels);

  /** Fails the check when a successful answer holds any row of B (or a write says it touched one). */
  const expectNothingOfB = (what: string, model: string, result: ToolResult) => {
    if (!result.ok) return tally.check(true, () => '');
    const leaked: string[] = [];
    const data = result.data as Record<string, unknown>;
    walkRows(session.bound, model, data.rows ?? data.row ?? [], (m, row) => {
      const key = row[session.bound.models[m]?.primaryKey ?? ''];
      if (key !== undefined && bKeys.get(m)?.has(String(key))) leaked.push(`${m} ${String(key)}`);
    });
    if (Array.isArray(data.ids)) leaked.push(...data.ids.filter((id) => bKeys.get(model)?.has(String(id))).map((id) => `${model} ${String(id)}`));
    if (typeof data.deleted === 'number' && data.deleted > 0) leaked.push(`${model} ${String(data.id)} deleted`);
    if (typeof data.affectedRows === 'number' && data.affectedRows > 0) leaked.push(`${model}: ${data.affectedRows} of B's rows affected`);
    if (typeof data.value === 'number' || typeof data.value === 'string') if (Number(data.value) > 0) leaked.push(`${model}: count ${String(data.value)}`);
    return tally.check(!leaked.length, () => `${what}: returned tenant ${session.principals.b.tenantId}'s ${leaked.slice(0, 3).join(', ')}`);
  };
  /** A call on B's rows: refused (not found), or an answer without them (a bulk update of 0 rows); never gated for approval. */
  const expectRefused = async (what: string, model: string, result: ToolResult) => {
    if (result.ok) return expectNothingOfB(what, model, result);
    const gated = result.error.code === 'approval_required';
    if (gated) await session.deny((result.error.details as { approvalId: string }).approvalId);
    return tally.check(!gated, () => `${what}: went to approval, so tenant ${session.principals.b.tenantId}'s row was found`);
  };
  /** A write is tried for real only when its dry run found nothing of B. */
  const previewThenWrite = async (what: string, model: string, preview: Record<string, unknown>, tool: string, input: Record<string, unknown>) => {
    if (session.offers('db_preview_write', model)) {
      const dry = await session.call('db_preview_write', preview, a);
      const found = dry.ok && (dry.data as { affectedRows: number }).affectedRows > 0;
      if (!tally.check(!found, () => `${what} (db_preview_write): would change tenant ${session.principals.b.tenantId}'s rows`)) return;
    }
    await expectRefused(`${what} (${tool})`, model, await session.call(tool, input, a));
  };

  for (const m of tenantModels) {
    const bound = session.bound.models[m.model]!;
    const pk = m.primaryKey;
    const ids = keysOf(m.b, pk).slice(0, SAMPLE);
    const maxRows = session.bound.budgetsFor(bound, 'db_query').maxRows;
    const query = (where: unknown, extra: Record<string, unknown> = {}) => session.call('db_query', { model: m.model, where, limit: maxRows, ...extra }, a);

    if (!session.offers('db_get', m.model)) tally.skip(`db_get ${m.model}`);
    else {
      for (const id of ids) await expectRefused(`db_get ${m.model} ${String(id)}`, m.model, await session.call('db_get', { model: m.model, id }, a));
    }
    if (!session.offers('db_query', m.model)) tally.skip(`db_query ${m.model}`);
    else {
      expectNothingOfB(`db_query ${m.model} ${pk} eq`, m.model, await query({ field: pk, op: 'eq', value: ids[0] }));
      expectNothingOfB(`db_query ${m.model} ${pk} in`, m.model, await query({ field: pk, op: 'in', value: ids }));
      for (const fk of foreignKeys(session, m.model)) {
        const values = [...new Set(keysOf(m.b, fk))].filter((v) => v !== null).slice(0, SAMPLE);
        if (values.length) expectNothingOfB(`db_query ${m.model} ${fk} in B's values`, m.model, await query({ field: fk, op: 'in', value: values }));
      }
      for (const relation of bound.relationNames) {
        const target = session.rows[bound.relations[relation]!.target];
        if (!target?.b.length) continue;
        if (!session.offers('db_query', target.model)) {
          tally.skip(`db_query ${m.model} include ${relation}`);
          continue;
        }
        const where = { field: target.primaryKey, op: 'in', value: keysOf(target.b, target.primaryKey).slice(0, SAMPLE) };
        expectNothingOfB(`db_query ${m.model} include ${relation} where B's keys`, m.model, await query(undefined, { limit: SAMPLE, include: [{ relation, where }] }));
      }
      const asB = await session.call('db_query', { model: m.model, limit: 1 }, session.principals.b);
      const cursor = asB.ok ? (asB.data as { nextCursor: string | null }).nextCursor : null;
      if (cursor) expectNothingOfB(`db_query ${m.model} with tenant B's cursor`, m.model, await query(undefined, { cursor }));
    }
    if (!session.offers('db_aggregate', m.model)) tally.skip(`db_aggregate ${m.model}`);
    else {
      expectNothingOfB(`db_aggregate count ${m.model} ${pk} in B's keys`, m.model, await session.call('db_aggregate', { model: m.model, op: 'count', where: { field: pk, op: 'in', value: ids } }, a));
    }
    await probeWrites(session, m, ids, previewThenWrite, tally);
  }

  const after = await snapshotOfB(session, tenantModels);
  for (const m of tenantModels) tally.check(before.get(m.model) === after.get(m.model), () => `tenant ${session.principals.b.tenantId}'s ${m.model} rows changed during the probe`);
  return tally;
}

type PreviewThenWrite = (what: string, model: string, preview: Record<string, unknown>, tool: string, input: Record<string, unknown>) => Promise<void>;

/** Writes aimed at B: B's ids as targets (with B's own values, so nothing would change), B's keys as foreign key values. */
async function probeWrites(session: ProbeSession, m: ModelRows, ids: Array<string | number>, attempt: PreviewThenWrite, tally: ProbeTally) {
  const write = session.bound.models[m.model]!.write;
  if (!write) return;
  const ops = new Set(write.operations);
  for (const operation of ops) if (!session.offers(WRITE_TOOL[operation], m.model)) tally.skip(`${WRITE_TOOL[operation]} ${m.model}`);
  const bRow = m.b[0]!;
  const same = unchangedValues(write.writableFields, bRow);
  const id = ids[0]!;
  const tools = { has: (tool: GenericToolName) => session.offers(tool, m.model) };
  if (ops.has('update') && tools.has('db_update') && same) {
    await attempt(`db_update ${m.model} ${String(id)}`, m.model, { operation: 'update', model: m.model, id, values: same }, 'db_update', { model: m.model, id, values: same, reason: REASON });
  }
  if (ops.has('delete') && tools.has('db_delete')) {
    await attempt(`db_delete ${m.model} ${String(id)}`, m.model, { operation: 'delete', model: m.model, id }, 'db_delete', { model: m.model, id, reason: REASON });
  }
  if (ops.has('bulk_update') && tools.has('db_bulk_update') && same) {
    const where = { field: m.primaryKey, op: 'in', value: ids };
    await attempt(`db_bulk_update ${m.model} where B's keys`, m.model, { operation: 'bulk_update', model: m.model, where, values: same }, 'db_bulk_update', { model: m.model, where, values: same, reason: REASON });
  }
  const aRow = m.a[0];
  for (const reference of write.references) {
    const target = session.rows[reference.model];
    if (!target?.b.length || !aRow) continue;
    const values = { [reference.field]: scalar(target.b[0]![reference.targetKey]) };
    if (ops.has('update') && tools.has('db_update')) {
      const own = scalar(aRow[m.primaryKey]) as string | number;
      await attempt(`db_update ${m.model} ${reference.field} = B's ${reference.model}`, m.model, { operation: 'update', model: m.model, id: own, values }, 'db_update', { model: m.model, id: own, values, reason: REASON });
    }
    if (ops.has('create') && tools.has('db_create')) {
      const created = { ...createValues(write.writableFields, aRow), ...values };
      await attempt(`db_create ${m.model} ${reference.field} = B's ${reference.model}`, m.model, { operation: 'create', model: m.model, values: created }, 'db_create', { model: m.model, values: created, reason: REASON });
    }
  }
}

/** One writable field set to the row's own value: an update that would change nothing. */
export function unchangedValues(writable: readonly string[], row: Row): Record<string, unknown> | null {
  const field = writable.find((f) => row[f] !== null && row[f] !== undefined);
  return field ? { [field]: scalar(row[field]) } : null;
}

/** The writable values of an existing row: a create the schema accepts. */
export function createValues(writable: readonly string[], row: Row): Record<string, unknown> {
  return Object.fromEntries(writable.filter((f) => row[f] !== null && row[f] !== undefined).map((f) => [f, scalar(row[f])]));
}

/** Filterable attributes of a model that point at another model's key. */
function foreignKeys(session: ProbeSession, model: string): string[] {
  const bound = session.bound.models[model]!;
  const fromRelations = Object.values(bound.relations).filter((r) => r.kind === 'belongsTo').map((r) => r.sourceKey);
  const fromSchema = Object.values(session.schema.models[model]!.fields).filter((f) => f.references).map((f) => f.name);
  return [...new Set([...fromRelations, ...fromSchema])].filter((f) => bound.filterable.includes(f));
}

async function snapshotOfB(session: ProbeSession, models: ModelRows[]): Promise<Map<string, string>> {
  const b = session.principals.b.tenantId;
  const texts = new Map<string, string>();
  for (const m of models) texts.set(m.model, snapshotText(await rawRows(session.ormai.adapter, session.schema, m.model, { kind: 'cmp', field: m.tenantField!, op: 'eq', value: b })));
  return texts;
}
