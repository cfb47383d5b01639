import { z } from 'zod';
import type { ComparisonOp } from '../spec/plan.js';
import type { AggregateInput, ConditionInput, DescribeSchemaInput, FilterInput, GetInput, IncludeInput, QueryInput } from '../spec/tool-inputs.js';
import type { Assert, Same } from '../spec/type-assert.js';

/**
 * Zod schemas for the read tools' inputs. They bound size and shape; the policy check that follows
 * decides which names are allowed. Identifiers are restricted to plain names so nothing odd even
 * reaches the allow-list lookup.
 */
export const COMPARISON_OPS = [
  'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'is_null', 'contains', 'starts_with', 'ends_with', 'between',
] as const;

export const LIMITS = { maxFilterNodes: 50, maxFilterDepth: 6, maxListValues: 100, maxStringLength: 1_000, maxSelect: 100, maxIncludes: 10 };

// A refinement rather than `.regex()`: the check stays, but the pattern is not repeated in every tool's
// JSON schema, where it would cost tokens on each model call.
export const identifier = z.string().refine((s) => /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(s), 'must be a plain name (letters, digits, underscore)');

export const scalar = z.union([z.string().max(LIMITS.maxStringLength), z.number(), z.boolean(), z.null()]);

const conditionSchema = z.strictObject({
  field: identifier,
  op: z.enum(COMPARISON_OPS),
  value: z.union([scalar, z.array(scalar).max(LIMITS.maxListValues)]).optional(),
});


export const filterSchema: z.ZodType<FilterInput, FilterInput> = z.lazy(() =>
  z.union([
    conditionSchema,
    z.strictObject({ and: z.array(filterSchema).min(1).max(LIMITS.maxFilterNodes) }),
    z.strictObject({ or: z.array(filterSchema).min(1).max(LIMITS.maxFilterNodes) }),
    z.strictObject({ not: filterSchema }),
  ]),
);

const select = z.array(identifier).min(1).max(LIMITS.maxSelect);
const limit = z.number().int().min(1).max(10_000);

const includeSchema: z.ZodType<IncludeInput, IncludeInput> = z.lazy(() =>
  z.strictObject({
    relation: identifier,
    select: select.optional(),
    where: filterSchema.optional(),
    limit: limit.optional(),
    include: z.array(includeSchema).max(LIMITS.maxIncludes).optional(),
  }),
);

export const describeSchemaInput = z.strictObject({
  model: identifier.optional().describe('Describe one model only'),
});

export const queryInput = z.strictObject({
  model: identifier,
  select: select.optional().describe('Fields to return (default: all readable fields)'),
  where: filterSchema.optional(),
  orderBy: z
    .array(z.strictObject({ field: identifier, direction: z.enum(['asc', 'desc']).optional() }))
    .max(4)
    .optional(),
  limit: limit.optional(),
  cursor: z.string().max(4_096).optional().describe('nextCursor from the previous page'),
  include: z.array(includeSchema).max(LIMITS.maxIncludes).optional(),
});

export const getInput = z.strictObject({
  model: identifier,
  id: z.union([z.string().max(LIMITS.maxStringLength), z.number()]),
  select: select.optional(),
  include: z.array(includeSchema).max(LIMITS.maxIncludes).optional(),
});

export const AGGREGATE_OPS = ['count', 'sum', 'avg', 'min', 'max'] as const;

export const aggregateInput = z.strictObject({
  model: identifier,
  op: z.enum(AGGREGATE_OPS),
  field: identifier.optional().describe('Required for sum/avg/min/max'),
  where: filterSchema.optional(),
  groupBy: z.array(identifier).min(1).max(3).optional(),
});

// The schemas implement the input types of spec/tool-inputs.ts, both ways: these fail to compile if they drift apart.
type SchemaChecks = [
  Assert<Same<(typeof COMPARISON_OPS)[number], ComparisonOp>>,
  Assert<Same<z.input<typeof conditionSchema>, ConditionInput>>,
  Assert<Same<z.output<typeof conditionSchema>, ConditionInput>>,
  Assert<Same<z.input<typeof describeSchemaInput>, DescribeSchemaInput>>,
  Assert<Same<z.output<typeof describeSchemaInput>, DescribeSchemaInput>>,
  Assert<Same<z.input<typeof queryInput>, QueryInput>>,
  Assert<Same<z.output<typeof queryInput>, QueryInput>>,
  Assert<Same<z.input<typeof getInput>, GetInput>>,
  Assert<Same<z.output<typeof getInput>, GetInput>>,
  Assert<Same<z.input<typeof aggregateInput>, AggregateInput>>,
  Assert<Same<z.output<typeof aggregateInput>, AggregateInput>>,
];
