import type { ToolResult } from '@ormai/core';
import { createValues, unchangedValues } from './probe-cross-tenant.js';
import { ProbeTally } from './probe-result.js';
import { scalar, type ProbeSession } from './probe-session.js';
import { WRITE_TOOL } from '../policy/tool-switches.js';

const REFUSALS = new Set(['reason_required', 'write_not_allowed']);

/**
 * Probe 4: every write tool, on every model that allows it, without a reason, must be refused. Updates
 * carry the row's own values (a no-op were they accepted). A create or delete is only sent when the
 * policy requires a reason; otherwise it fails from the policy alone, since sending it would change data.
 */
export async function probeWrite(session: ProbeSession): Promise<ProbeTally> {
  const tally = new ProbeTally('write');
  const { a } = session.principals;
  const expectRefused = (what: string, result: ToolResult) =>
    tally.check(!result.ok && REFUSALS.has(result.error.code), () => `${what} without a reason: ${result.ok ? 'accepted' : `refused with ${result.error.code}, not reason_required`}`);

  for (const model of session.bound.modelNames) {
    const write = session.bound.models[model]!.write;
    const row = session.rows[model]!.a[0];
    if (!write || !row) continue;
    const pk = session.rows[model]!.primaryKey;
    const id = scalar(row[pk]) as string | number;
    const same = unchangedValues(write.writableFields, row);
    for (const operation of write.operations) {
      if (!session.offers(WRITE_TOOL[operation], model)) {
        tally.skip(`${WRITE_TOOL[operation]} ${model}`);
        continue;
      }
      if (operation === 'update' && same) expectRefused(`db_update ${model}`, await session.call('db_update', { model, id, values: same }, a));
      if (operation === 'bulk_update' && same) expectRefused(`db_bulk_update ${model}`, await session.call('db_bulk_update', { model, where: { field: pk, op: 'eq', value: id }, values: same }, a));
      if (operation === 'create' || operation === 'delete') {
        const tool = operation === 'create' ? 'db_create' : 'db_delete';
        if (!write.requireReason) {
          tally.fail(`${tool} ${model}: the policy does not require a reason (not sent: it would have changed data)`);
          continue;
        }
        const input = operation === 'create' ? { model, values: createValues(write.writableFields, row) } : { model, id };
        expectRefused(`${tool} ${model}`, await session.call(tool, input, a));
      }
    }
  }
  if (!tally.checks && !tally.skips.length) tally.note('the policy allows no writes');
  return tally;
}
