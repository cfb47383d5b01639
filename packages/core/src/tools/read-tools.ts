import type { z } from 'zod';
import type { BoundPolicy } from '../spec/bound-policy.js';
import type { ToolInput, ToolName, ToolOutput, ToolSpec } from '../spec/tools.js';
import { runAggregate } from './aggregate.js';
import { runDescribeSchema } from './describe-schema.js';
import { runGet } from './get.js';
import { aggregateInput, describeSchemaInput, getInput, queryInput } from './input-schemas.js';
import { runQuery } from './query.js';
import type { ToolEnv } from './tool-env.js';

/** A tool as core runs it: its spec, and the handler that gets the parsed input. */
export interface ToolDefinition<N extends ToolName = ToolName> extends ToolSpec {
  name: N;
  inputSchema: z.ZodType<ToolInput<N>>;
  run(input: ToolInput<N>, env: ToolEnv): Promise<ToolOutput<N>> | ToolOutput<N>;
}

/** A generic tool, its schema and handler checked against its ToolMap entry (domain tools use the public `defineTool`). */
export const genericTool = <N extends ToolName>(tool: ToolDefinition<N>): ToolDefinition => tool as unknown as ToolDefinition;

/**
 * The read tools, described from the policy. Descriptions say each thing once (they cost tokens on every
 * model call): the allowed models are named by db_describe_schema, the filter grammar by the input schema.
 * A tool that a policy switch limits to some models (a view of the policy) names them itself.
 */
export function readTools(bound: BoundPolicy): ToolDefinition[] {
  const models = bound.modelNames.join(', ');
  const limitedTo = bound.modelNames.length < Object.keys(bound.models).length ? ` Only for ${models}.` : '';
  return [
    genericTool({
      name: 'db_describe_schema',
      description: `List the models you may use (${models}) with their readable fields (type, masked, filterable, indexed), relations, operators and budgets.`,
      inputSchema: describeSchemaInput,
      access: 'read',
      run: runDescribeSchema,
    }),
    genericTool({
      name: 'db_query',
      description: `Read rows of one model: filter (where), sort (orderBy), page (limit, cursor), related rows (include).${limitedTo}`,
      inputSchema: queryInput,
      access: 'read',
      run: runQuery,
    }),
    genericTool({
      name: 'db_get',
      description: `Read one row of a model by primary key, with optional select and include.${limitedTo}`,
      inputSchema: getInput,
      access: 'read',
      run: runGet,
    }),
    genericTool({
      name: 'db_aggregate',
      description: `Count, sum, average, min or max over a model, optionally filtered (where) and grouped (groupBy).${limitedTo}`,
      inputSchema: aggregateInput,
      access: 'read',
      run: runAggregate,
    }),
  ];
}
