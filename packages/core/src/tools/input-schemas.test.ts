import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { aggregateInput, describeSchemaInput, FILTER_GRAMMAR, getInput, queryInput } from './input-schemas.js';
import { approvalStatusInput, bulkUpdateInput, createInput, deleteInput, previewWriteInput, updateInput } from './write-input-schemas.js';

// What the AI SDK sends for a zod 4 schema (asSchema in @ai-sdk/provider-utils makes this same call).
const jsonOf = (schema: z.ZodType) => z.toJSONSchema(schema, { target: 'draft-7', io: 'input', reused: 'inline' }) as Record<string, any>;

const issuesOf = (schema: z.ZodType, input: unknown) => {
  const parsed = schema.safeParse(input);
  expect(parsed.success).toBe(false);
  return parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join(' | ');
};

const condition = { field: 'status', op: 'eq', value: 'open' };

describe('tool input schemas', () => {
  it('advertise the filter once per tool, as one definition carrying the grammar', () => {
    for (const schema of [queryInput, getInput, aggregateInput, bulkUpdateInput, previewWriteInput]) {
      const json = jsonOf(schema);
      expect(json.definitions.filter).toEqual({ type: 'object', additionalProperties: {}, description: FILTER_GRAMMAR });
      expect(JSON.stringify(json).split(FILTER_GRAMMAR)).toHaveLength(2);
      expect(json).not.toHaveProperty('$schema');
    }
    for (const op of ['eq', 'not_in', 'is_null', 'between', 'ends_with']) expect(FILTER_GRAMMAR).toContain(op);
  });

  it('leave out the keywords that guide no choice of the model, and keep the ones that do', () => {
    const all = [describeSchemaInput, queryInput, getInput, aggregateInput, createInput, updateInput, deleteInput, bulkUpdateInput, previewWriteInput, approvalStatusInput];
    for (const schema of all) expect(JSON.stringify(jsonOf(schema))).not.toMatch(/\$schema|maxLength|propertyNames|9007199254740991/);
    const query = jsonOf(queryInput);
    expect(query.properties.limit).toEqual({ type: 'integer', minimum: 1 });
    expect(query.properties.orderBy.maxItems).toBe(4);
    expect(query.required).toEqual(['model']);
    expect(jsonOf(aggregateInput).properties.groupBy).toMatchObject({ minItems: 1, maxItems: 3 });
    expect(jsonOf(bulkUpdateInput).required).toEqual(['model', 'where', 'values']);
  });

  it('accept the same filter shapes as before: conditions and nested and/or/not', () => {
    const where = { and: [condition, { or: [{ field: 'amount', op: 'between', value: [1, 9] }, { not: { field: 'note', op: 'is_null' } }] }] };
    const input = { model: 'Order', where, include: [{ relation: 'items', where: condition, include: [{ relation: 'product' }] }] };
    expect(queryInput.parse(input)).toEqual(input);
    expect(bulkUpdateInput.parse({ model: 'Order', where, values: { status: 'done' }, reason: 'closed' })).toMatchObject({ where });
  });

  it('refuse unknown keys at every filter level, an own __proto__ included', () => {
    const top = (key: string) => JSON.parse(`{"model":"Order","where":{"field":"status","op":"eq","value":"x","${key}":{"a":1}}}`);
    const nested = (key: string) => JSON.parse(`{"model":"Order","where":{"not":{"field":"status","op":"eq","value":"x","${key}":{"a":1}}}}`);
    for (const input of [top('__proto__'), nested('__proto__')]) expect(issuesOf(queryInput, input)).toContain('Unrecognized key: "__proto__"');
    for (const input of [top('tenantId'), nested('tenantId')]) expect(issuesOf(queryInput, input)).toContain('Unrecognized key: "tenantId"');
    expect(issuesOf(queryInput, JSON.parse('{"model":"Order","where":{"__proto__":{"field":"status","op":"eq"}}}'))).toContain(FILTER_GRAMMAR);
    expect(issuesOf(queryInput, { model: 'Order', where: { and: [condition], or: [condition] } })).toContain(FILTER_GRAMMAR);
    expect(issuesOf(queryInput, { model: 'Order', where: { field: 'status', op: 'eq', and: [] } })).toContain('Unrecognized key: "and"');
  });

  it('still check the size limits the JSON schema no longer lists', () => {
    expect(issuesOf(queryInput, { model: 'Order', where: { field: 'id', op: 'in', value: Array.from({ length: 101 }, (_, i) => i) } })).toMatch(/^where: value: .*a list of at most 100/);
    expect(issuesOf(queryInput, { model: 'Order', where: { or: Array.from({ length: 51 }, () => condition) } })).toMatch(/^where: or: .*<=50 items/);
    expect(issuesOf(queryInput, { model: 'Order', where: { ...condition, value: 'x'.repeat(1_001) } })).toMatch(/^where\.value: must be at most 1000 characters/);
    expect(issuesOf(queryInput, { model: 'Order', cursor: 'c'.repeat(4_097) })).toContain('cursor: must be at most 4096 characters');
    expect(issuesOf(queryInput, { model: 'Order', select: [] })).toContain('select: must have 1 to 100 items');
    expect(issuesOf(queryInput, { model: 'Order', include: Array.from({ length: 11 }, () => ({ relation: 'items' })) })).toContain('include: must have at most 10 items');
    expect(issuesOf(queryInput, { model: 'Order', limit: 10_001 })).toMatch(/^limit: /);
    expect(issuesOf(getInput, { model: 'Order', id: 'x'.repeat(1_001) })).toContain('id: must be at most 1000 characters');
    expect(issuesOf(updateInput, { model: 'Order', id: 1, values: { note: 'x' }, reason: 'r'.repeat(1_001) })).toContain('reason: must be at most 1000 characters');
    expect(issuesOf(updateInput, { model: 'Order', id: 1, values: { 'a b': 1 } })).toContain('values.a b: Invalid key');
  });

  it('point the model to valid input when a filter is malformed', () => {
    // A condition with a wrong operator: the allowed ones are named.
    expect(issuesOf(queryInput, { model: 'Order', where: { field: 'status', op: 'equals', value: 'x' } })).toMatch(/^where: op: .*"not_in".*A filter is /);
    // The same mistake nested: the path inside the filter is kept, the grammar said once.
    const nested = issuesOf(aggregateInput, { model: 'Order', op: 'count', where: { and: [condition, { not: { field: 'status', op: '=' } }] } });
    expect(nested).toMatch(/^where: and\.1: not: op: /);
    expect(nested.split(FILTER_GRAMMAR)).toHaveLength(2);
    // Neither form: the grammar itself.
    expect(issuesOf(queryInput, { model: 'Order', where: { status: 'open' } })).toBe(`where: A filter is ${FILTER_GRAMMAR}`);
    expect(issuesOf(queryInput, { model: 'Order', where: 'status = open' })).toBe(`where: expected a filter: ${FILTER_GRAMMAR}`);
    expect(issuesOf(bulkUpdateInput, { model: 'Order', values: { status: 'x' } })).toContain(`where: expected a filter`);
  });
});
