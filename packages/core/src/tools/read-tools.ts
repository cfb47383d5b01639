import type { z } from 'zod';
import type { BoundPolicy } from '../spec/bound-policy.js';
import type { ToolInput, ToolName, ToolOutput, ToolSpec } from '../spec/tools.js';
import { runAggregate } from './aggregate.js';
import { runDescribeSchema } from './describe-schema.js';
import { runGet } from './get.js';
import { aggregateInput, COMPARISON_OPS, describeSchemaInput, getInput, queryInput } from './input-schemas.js';
import { runQuery } from './query.js';
import type { ToolEnv } from './tool-env.js';

/** A tool as core runs it: its spec, and the handler that gets the parsed input. */
export interface ToolDefinition<N extends ToolName = ToolName> extends ToolSpec {
  name: N;
  inputSchema: z.ZodType<ToolInput<N>>;
  run(input: ToolInput<N>, env: ToolEnv): Promise<ToolOutput<N>> | ToolOutput<N>;
}

/** Checks one tool's schema and handler against its ToolMap entry. */
export const defineTool = <N extends ToolName>(tool: ToolDefinition<N>): ToolDefinition => tool as unknown as ToolDefinition;

const FILTER_HELP = `where: {field, op, value} with op ${COMPARISON_OPS.join('|')}, combined with {and:[...]}, {or:[...]}, {not:...}.`;

/** The read tools, described from the policy: the model names in each description are exactly the allowed ones. */
export function readTools(bound: BoundPolicy): ToolDefinition[] {
  const models = bound.modelNames.join(', ');
  return [
    defineTool({
      name: 'db_describe_schema',
      description: `List the models, readable fields (type, masked, filterable, indexed), relations and budgets you may use. Models: ${models}.`,
      inputSchema: describeSchemaInput,
      access: 'read',
      run: runDescribeSchema,
    }),
    defineTool({
      name: 'db_query',
      description: `Read rows of one model (${models}) with optional select, where, orderBy, limit, include (related rows) and cursor (nextCursor of the previous page). ${FILTER_HELP}`,
      inputSchema: queryInput,
      access: 'read',
      run: runQuery,
    }),
    defineTool({
      name: 'db_get',
      description: `Read one row of a model (${models}) by primary key, with optional select and include.`,
      inputSchema: getInput,
      access: 'read',
      run: runGet,
    }),
    defineTool({
      name: 'db_aggregate',
      description: `Compute count, sum, avg, min or max over a model (${models}), optionally filtered (where) and grouped (groupBy).`,
      inputSchema: aggregateInput,
      access: 'read',
      run: runAggregate,
    }),
  ];
}
