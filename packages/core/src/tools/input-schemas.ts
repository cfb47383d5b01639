import { z } from 'zod';
import type { ComparisonOp } from '../spec/plan.js';
import type { AggregateInput, ConditionInput, DescribeSchemaInput, FilterInput, GetInput, IncludeInput, QueryInput } from '../spec/tool-inputs.js';
import type { Assert, Same } from '../spec/type-assert.js';
import { boundedArray, boundedString, toolInput, withoutKeywords } from './compact-schema.js';

/**
 * Zod schemas for the read tools' inputs. They bound size and shape; the policy check that follows
 * decides which names are allowed. Identifiers are restricted to plain names so nothing odd even
 * reaches the allow-list lookup. Size limits are checked but not advertised (see compact-schema.ts).
 */
export const COMPARISON_OPS = [
  'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'is_null', 'contains', 'starts_with', 'ends_with', 'between',
] as const;

export const LIMITS = { maxFilterNodes: 50, maxFilterDepth: 6, maxListValues: 100, maxStringLength: 1_000, maxSelect: 100, maxIncludes: 10 };

export const identifier = z.string().refine((s) => /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(s), 'must be a plain name (letters, digits, underscore)');

export const scalar = z.union([boundedString(LIMITS.maxStringLength), z.number(), z.boolean(), z.null()]);

/** A primary key: a number or a string. */
export const rowId = z.union([boundedString(LIMITS.maxStringLength), z.number()]);

const conditionSchema = z.strictObject({
  field: identifier,
  op: z.enum(COMPARISON_OPS),
  value: z
    .union([scalar, z.array(scalar).max(LIMITS.maxListValues)], {
      error: `must be a string, number, boolean or null, or a list of at most ${LIMITS.maxListValues} of them`,
    })
    .optional(),
});

/** The filter grammar in one line: the model reads it in the tool definitions and in errors. */
export const FILTER_GRAMMAR =
  `{field, op, value} | {and: [filter]} | {or: [filter]} | {not: filter}; op: ${COMPARISON_OPS.join('|')}; ` +
  'value: a list for in/not_in, [low, high] for between, true/false for is_null';

const isObject = (input: unknown): input is Record<string, unknown> => typeof input === 'object' && input !== null && !Array.isArray(input);
const CONDITION_KEYS: readonly string[] = ['field', 'op', 'value'];
const COMBINATOR_KEYS: readonly string[] = ['and', 'or', 'not'];

/**
 * When no form of a filter node parses, report the problems of the form the node was meant to be (a
 * condition if it has a condition key, else the combinator its one key names), then the grammar.
 */
function filterError(issue: { input?: unknown; errors?: ReadonlyArray<ReadonlyArray<{ path: PropertyKey[]; message: string }>> }): string {
  const keys = isObject(issue.input) ? Object.keys(issue.input) : [];
  const combinator = keys.length === 1 ? COMBINATOR_KEYS.indexOf(keys[0]!) : -1;
  const branch = keys.some((k) => CONDITION_KEYS.includes(k)) ? 0 : combinator >= 0 ? combinator + 1 : undefined;
  const problem = branch === undefined ? undefined : issue.errors?.[branch]?.[0];
  if (!problem) return `A filter is ${FILTER_GRAMMAR}`;
  const where = problem.path.length ? `${problem.path.join('.')}: ` : '';
  // A nested filter's message already ends with the grammar.
  return problem.message.includes(FILTER_GRAMMAR) ? `${where}${problem.message}` : `${where}${problem.message}. A filter is ${FILTER_GRAMMAR}`;
}

/** The filter as validated: strict at every level. */
export const filterSchema: z.ZodType<FilterInput, FilterInput> = z.lazy(() =>
  z.union(
    [
      conditionSchema,
      z.strictObject({ and: z.array(filterSchema).min(1).max(LIMITS.maxFilterNodes) }),
      z.strictObject({ or: z.array(filterSchema).min(1).max(LIMITS.maxFilterNodes) }),
      z.strictObject({ not: filterSchema }),
    ],
    { error: filterError },
  ),
);

/**
 * The filter as the tools take it: advertised as one JSON-schema definition per tool with the grammar
 * in its description (half the tokens of the recursive schema, and said once even where a tool takes
 * two filters), then validated by the strict schema above. The first stage passes the object on as it
 * came (a copying stage would drop an own `__proto__` key before the strict check could refuse it).
 */
export const filterInput = z
  .unknown()
  .refine((input): boolean => isObject(input), { error: `expected a filter: ${FILTER_GRAMMAR}`, abort: true })
  .meta({ type: 'object', additionalProperties: {} })
  .pipe(filterSchema)
  .meta({ id: 'filter', description: FILTER_GRAMMAR }) as unknown as z.ZodType<FilterInput, FilterInput>;

const select = boundedArray(identifier, LIMITS.maxSelect, 1);
// The real cap is the policy's maxRows, which db_describe_schema reports.
const limit = withoutKeywords(z.number().int().min(1).max(10_000), 'maximum');

const includeSchema: z.ZodType<IncludeInput, IncludeInput> = z.lazy(() =>
  z.strictObject({
    relation: identifier,
    select: select.optional(),
    where: filterInput.optional(),
    limit: limit.optional(),
    include: boundedArray(includeSchema, LIMITS.maxIncludes).optional(),
  }),
).meta({ id: 'include' });

const includes = boundedArray(includeSchema, LIMITS.maxIncludes);

export const describeSchemaInput = toolInput({
  model: identifier.optional().describe('Describe one model only'),
});

export const queryInput = toolInput({
  model: identifier,
  select: select.optional().describe('Fields to return (default: all readable fields)'),
  where: filterInput.optional(),
  orderBy: z.array(z.strictObject({ field: identifier, direction: z.enum(['asc', 'desc']).optional() })).max(4).optional(),
  limit: limit.optional(),
  cursor: boundedString(4_096).optional().describe('nextCursor from the previous page'),
  include: includes.optional(),
});

export const getInput = toolInput({
  model: identifier,
  id: rowId,
  select: select.optional(),
  include: includes.optional(),
});

export const AGGREGATE_OPS = ['count', 'sum', 'avg', 'min', 'max'] as const;

export const aggregateInput = toolInput({
  model: identifier,
  op: z.enum(AGGREGATE_OPS),
  field: identifier.optional().describe('Required for sum/avg/min/max'),
  where: filterInput.optional(),
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
