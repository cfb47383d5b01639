import { describe, expect, it } from 'vitest';
import { bindPolicy } from '../policy/bind-policy.js';
import { definePolicy } from '../policy/define-policy.js';
import type { SchemaInfo } from '../schema-info.js';
import { triggeredRules } from './approval-gate.js';

const f = (name: string, type: 'integer' | 'string' | 'date') => ({ name, type, primaryKey: name === 'id', allowNull: true, indexed: false });
const schema: SchemaInfo = {
  models: { Order: { name: 'Order', primaryKey: ['id'], fields: { id: f('id', 'integer'), status: f('status', 'string'), amount: f('amount', 'integer'), dueAt: f('dueAt', 'date') }, relations: {} } },
};

const model = bindPolicy(
  definePolicy({
    tenantScope: false,
    readOnly: false,
    models: {
      Order: {
        write: {
          create: true, update: true, delete: true, bulkUpdate: true,
          writableFields: ['status', 'amount', 'dueAt'],
          approvals: [
            { name: 'large', operations: ['update', 'create'], when: { field: 'amount', op: 'gt', value: 500 }, approverRoles: ['finance'], slaMs: 1 },
            { name: 'cancel', operations: ['update', 'bulk_update'], fieldsChanged: ['status'], approverRoles: ['supervisor'], slaMs: 1 },
            { name: 'late', operations: ['delete'], when: { field: 'dueAt', op: 'lt', value: '2026-01-01T00:00:00Z' }, approverRoles: ['ops'], slaMs: 1 },
          ],
        },
      },
    },
  }),
  schema,
).models.Order!;
const rules = model.write!.approvals;
const match = (op: 'create' | 'update' | 'delete' | 'bulk_update', targets: object[], values: object) =>
  triggeredRules(model, rules, op, targets as never, values as never).map((r) => r.name).join(',') || null;

describe('matchApprovalRule', () => {
  it('evaluates `when` on the new values, for creates and updates', () => {
    expect(match('create', [], { amount: 600 })).toBe('large');
    expect(match('create', [], { amount: 400 })).toBeNull();
    expect(match('update', [{ id: 1, amount: 100, status: 'open' }], { amount: 501 })).toBe('large');
    expect(match('update', [{ id: 1, amount: 900, status: 'open' }], { status: 'open' })).toBe('large'); // the row stays above the threshold
  });

  it('fieldsChanged gates only a real change, on any target row', () => {
    const rows = [{ id: 1, status: 'open', amount: 1 }, { id: 2, status: 'paid', amount: 1 }];
    expect(match('bulk_update', rows, { status: 'paid' })).toBe('cancel');
    expect(match('bulk_update', [rows[1]!], { status: 'paid' })).toBeNull();
  });

  it('reports every rule triggered; update and bulk update are one family; value rules follow values into creates', () => {
    expect(match('update', [{ id: 1, status: 'open', amount: 1 }], { status: 'paid', amount: 900 })).toBe('large,cancel');
    // 'large' lists update and create: a bulk update is an update, whatever it sets.
    expect(match('bulk_update', [{ id: 1, status: 'open', amount: 1 }], { amount: 900 })).toBe('large');
    expect(match('bulk_update', [{ id: 1, status: 'open', amount: 900 }], { status: 'open' })).toBe('large');
    // 'cancel' lists update and bulk_update; a create that sets status meets it too.
    expect(match('create', [], { status: 'paid' })).toBe('cancel');
    expect(match('create', [], { amount: 10 })).toBeNull();
  });

  it('compares dates as instants and ignores operations a rule does not list', () => {
    expect(match('delete', [{ id: 1, dueAt: '2025-12-31T23:00:00.000Z' }], {})).toBe('late');
    expect(match('delete', [{ id: 1, dueAt: '2026-02-01T00:00:00.000Z' }], {})).toBeNull();
    expect(match('delete', [{ id: 1, dueAt: null }], {})).toBeNull();
  });
});
