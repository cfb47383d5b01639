import { describe, expect, it } from 'vitest';
import { PolicyDefinitionError } from '../errors.js';
import type { FieldInfo, SchemaInfo } from '../schema-info.js';
import type { AuditSubjectPolicy, FieldRule } from '../spec/policy.js';
import { bindPolicy } from './bind-policy.js';
import { definePolicy } from './define-policy.js';

const field = (name: string, extra: Partial<FieldInfo> = {}): FieldInfo => ({ name, type: 'string', primaryKey: false, allowNull: true, indexed: false, ...extra });

const schema: SchemaInfo = {
  models: {
    Customer: {
      name: 'Customer',
      primaryKey: ['id'],
      fields: { id: field('id', { type: 'integer', primaryKey: true }), tenantId: field('tenantId'), taxId: field('taxId'), notes: field('notes') },
      relations: {},
    },
    Order: {
      name: 'Order',
      primaryKey: ['id'],
      fields: { id: field('id', { type: 'integer', primaryKey: true }), tenantId: field('tenantId'), customerId: field('customerId', { type: 'integer' }), buyerTax: field('buyerTax') },
      relations: {},
    },
  },
};

const bindWith = (subjects: Record<string, AuditSubjectPolicy>, fields: Record<string, FieldRule> = {}) =>
  bindPolicy(
    definePolicy({
      tenantScope: { field: 'tenantId' },
      models: { Customer: { fields: { taxId: 'full', notes: 'deny', ...fields } }, Order: { fields: { buyerTax: 'hash' } } },
      audit: { subjects },
    }),
    schema,
  );

function problemsOf(bind: () => unknown): string[] {
  try {
    bind();
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyDefinitionError);
    return (error as PolicyDefinitionError).problems;
  }
  throw new Error('expected a PolicyDefinitionError');
}

describe('bindSubjects', () => {
  it('binds the subject’s primary key and readable references', () => {
    const bound = bindWith({ Customer: { references: { Order: 'customerId' } } });
    expect(bound.models.Customer!.subjectKeys).toEqual([{ subject: 'Customer', field: 'id' }]);
    expect(bound.models.Order!.subjectKeys).toEqual([{ subject: 'Customer', field: 'customerId' }]);
  });

  it('refuses a reference on a masked or denied field: its clear value would be stored in every record', () => {
    const problems = problemsOf(() => bindWith({ Customer: { references: { Customer: 'taxId', Order: 'buyerTax' } } }));
    expect(problems).toEqual([
      expect.stringMatching(/^audit\.subjects\.Customer\.references\.Customer: 'taxId' is 'full'/),
      expect.stringMatching(/^audit\.subjects\.Customer\.references\.Order: 'buyerTax' is 'hash'/),
    ]);
    expect(problemsOf(() => bindWith({ Customer: { references: { Customer: 'notes' } } }))).toEqual([
      expect.stringMatching(/^audit\.subjects\.Customer\.references\.Customer: 'notes' is 'deny'/),
    ]);
    expect(problemsOf(() => bindWith({ Customer: { references: { Order: 'tenantId' } } }))).toEqual([
      expect.stringMatching(/^audit\.subjects\.Customer\.references\.Order: 'tenantId' is 'deny'/),
    ]);
  });

  it('refuses a subject whose primary key is not readable in clear', () => {
    const problems = problemsOf(() => bindWith({ Customer: {} }, { id: 'hash' }));
    expect(problems).toContainEqual(expect.stringMatching(/^audit\.subjects\.Customer: 'id' is 'hash'/));
  });
});
