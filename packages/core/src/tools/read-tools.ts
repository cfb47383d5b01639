import type { z } from 'zod';
import type { BoundPolicy } from '../policy/bind-policy.js';
import type { ReadToolName } from '../policy/policy-schema.js';
import { runAggregate } from './aggregate.js';
import { runDescribeSchema } from './describe-schema.js';
import { runGet } from './get.js';
import { aggregateInput, COMPARISON_OPS, describeSchemaInput, getInput, queryInput } from './input-schemas.js';
import { runQuery } from './query.js';
import type { ToolEnv } from './tool-env.js';

export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: z.ZodType;
  /** 'write' tools change data (previews and approval status are reads). */
  access: 'read' | 'write';
}

export interface ToolDefinition<I = any> extends ToolSpec {
  inputSchema: z.ZodType<I>;
  run(input: I, env: ToolEnv): Promise<unknown> | unknown;
}

const FILTER_HELP = `where: {field, op, value} with op ${COMPARISON_OPS.join('|')}, combined with {and:[...]}, {or:[...]}, {not:...}.`;

/** The read tools, described from the policy: the model names in each description are exactly the allowed ones. */
export function readTools(bound: BoundPolicy): ToolDefinition[] {
  const models = bound.modelNames.join(', ');
  return [
    {
      name: 'db_describe_schema',
      description: `List the models, readable fields (type, masked, filterable, indexed), relations and budgets you may use. Models: ${models}.`,
      inputSchema: describeSchemaInput,
      access: 'read',
      run: runDescribeSchema,
    },
    {
      name: 'db_query',
      description: `Read rows of one model (${models}) with optional select, where, orderBy, limit, include (related rows) and cursor (nextCursor of the previous page). ${FILTER_HELP}`,
      inputSchema: queryInput,
      access: 'read',
      run: runQuery,
    },
    {
      name: 'db_get',
      description: `Read one row of a model (${models}) by primary key, with optional select and include.`,
      inputSchema: getInput,
      access: 'read',
      run: runGet,
    },
    {
      name: 'db_aggregate',
      description: `Compute count, sum, avg, min or max over a model (${models}), optionally filtered (where) and grouped (groupBy).`,
      inputSchema: aggregateInput,
      access: 'read',
      run: runAggregate,
    },
  ];
}
