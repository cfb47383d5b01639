import type { SanitizedAuditInput } from '../audit/sanitize-input.js';
import { toolView } from '../policy/tool-switches.js';
import type { BoundPolicy } from '../spec/bound-policy.js';
import type { PipelineCall } from '../spec/pipeline.js';
import type { ToolName, ToolSpec } from '../spec/tools.js';
import { readTools, type ToolDefinition } from './read-tools.js';
import type { ToolEnv } from './tool-env.js';
import { writeTools } from './write-tools.js';

/** A tool an instance offers, generic or domain: its spec, the policy as it sees it, and its handler. */
export interface OfferedTool {
  spec: ToolSpec;
  /** The whole policy, or a generic tool's view of it (see toolView). */
  bound: BoundPolicy;
  run(input: unknown, env: ToolEnv, call: PipelineCall): unknown;
  /** How the audit records this tool's input (a domain tool's, by the keys its schema declares); absent: by the generic tools' grammar. */
  auditInput?: (input: unknown, bound: BoundPolicy, hashKey: Uint8Array) => SanitizedAuditInput;
}

const specOf = ({ name, description, inputSchema, access }: ToolDefinition): ToolSpec => ({ name, description, inputSchema, access });

/** Every generic tool over the whole policy, by name: what a domain tool's data handle runs. */
export const genericToolsByName = (bound: BoundPolicy): Map<string, ToolDefinition> =>
  new Map([...readTools(bound), ...writeTools(bound)].map((tool) => [tool.name, tool]));

/**
 * The generic tools the policy's switches leave on, each built from its own view of the policy, so its
 * description and schema name only the models it may touch. A tool no model allows is not offered.
 */
export function offeredGenericTools(bound: BoundPolicy, all: ReadonlyMap<string, ToolDefinition>): OfferedTool[] {
  return [...all.values()].flatMap((tool) => {
    const view = toolView(bound, tool.name as ToolName);
    const own = view === bound ? tool : view.modelNames.length ? [...readTools(view), ...writeTools(view)].find((t) => t.name === tool.name) : undefined;
    return own ? [{ spec: specOf(own), bound: view, run: (input: unknown, env: ToolEnv) => own.run(input as never, env) }] : [];
  });
}
